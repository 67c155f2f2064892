#include "securefile.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hostsec::pki::Internal {

namespace {

Error errnoError(int code, const std::string &what)
{
    return Error{code, what + ": " + std::strerror(code)};
}

// Closes the descriptor it holds when it goes out of scope.
class FileDescriptor
{
public:
    explicit FileDescriptor(int fd)
        : m_fd(fd)
    {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;

    int get() const { return m_fd; }
    /// close(2) with its result, for the writes whose errors surface only there.
    int close()
    {
        const int result = ::close(m_fd);
        m_fd = -1;
        return result;
    }

private:
    int m_fd;
};

Status writeAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return Error{errno, {}};
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

} // namespace

Status writeNewFile(const std::filesystem::path &path, std::string_view data, unsigned mode)
{
    const std::filesystem::path folder =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string name = path.filename().string();
    name.insert(0, 1, '.'); // not "." + name: GCC 12 warns (-Wrestrict) on that at -O2
    name += ".XXXXXX";
    std::string temp = (folder / name).string();

    // mkostemp creates the file with O_CREAT | O_EXCL and mode 0600.
    FileDescriptor fd(::mkostemp(temp.data(), O_CLOEXEC));
    if (fd.get() < 0)
        return errnoError(errno, "cannot create a file in " + folder.string());

    const auto fail = [&](int code, const char *what) -> Status {
        ::unlink(temp.c_str());
        return errnoError(code, std::string("cannot ") + what + " " + path.string());
    };
    if (mode != 0600 && ::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0)
        return fail(errno, "set the mode of");
    if (const Status written = writeAll(fd.get(), data); !written)
        return fail(written.error().code, "write");
    if (::fsync(fd.get()) != 0)
        return fail(errno, "flush");
    if (fd.close() != 0)
        return fail(errno, "write");

    // link(2), unlike rename(2), fails if the name exists: an existing key is never replaced.
    if (::link(temp.c_str(), path.c_str()) != 0) {
        const int code = errno;
        ::unlink(temp.c_str());
        if (code == EEXIST)
            return Error{code, path.string() + " already exists: refusing to overwrite it"};
        return errnoError(code, "cannot create " + path.string());
    }
    ::unlink(temp.c_str());

    FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0)
        return errnoError(errno, "cannot flush the folder " + folder.string());
    return {};
}

Result<std::string> readSmallFile(const std::filesystem::path &path, std::size_t maxBytes)
{
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return errnoError(errno, "cannot open " + path.string());
    std::string content;
    char buffer[8192];
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errnoError(errno, "cannot read " + path.string());
        }
        if (got == 0)
            return content;
        content.append(buffer, static_cast<std::size_t>(got));
        if (content.size() > maxBytes)
            return Error{EFBIG, "cannot read " + path.string() + ": larger than " +
                                    std::to_string(maxBytes) + " bytes"};
    }
}

} // namespace hostsec::pki::Internal
