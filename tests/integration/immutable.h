#pragma once

// The file system's immutable attribute (chattr +i / -i), the one read-only mark that holds
// against descriptors already open for writing, and against root: how tests make a running
// agent's database refuse writes for real (tst_readonlydb says what else was tried and why not).

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace hostsec::testing {

// Sets or clears the immutable attribute of `path`, as chattr +i / -i does: 0, or the errno.
inline int setImmutable(const std::string &path, bool on)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int flags = 0;
    int error = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
        error = errno;
    } else {
        flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
            error = errno;
    }
    ::close(fd);
    return error;
}

// Whether, in `dir`, the immutable attribute can be set and holds against a descriptor already
// open for writing: "", or why not.
inline std::string immutableHoldsIn(const std::string &dir)
{
    const std::string probe = dir + "/probe";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return "cannot create " + probe + ": " + std::strerror(errno);
    std::string why;
    if (const int error = setImmutable(probe, true); error != 0)
        why = std::string("cannot set the immutable attribute here (it needs CAP_LINUX_IMMUTABLE "
                          "and a file system that has it): ") +
              std::strerror(error);
    else if (::write(fd, "x", 1) == 1)
        why = "this file system takes the immutable attribute but lets a descriptor that is "
              "already open write (tmpfs does): set TMPDIR to a folder on ext4, xfs or btrfs";
    (void)setImmutable(probe, false);
    ::close(fd);
    std::filesystem::remove(probe);
    return why;
}

} // namespace hostsec::testing
