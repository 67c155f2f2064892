#pragma once

// Private to core/pki: files that are either whole or absent, created with their final mode.

#include "util/result.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace hostsec::pki::Internal {

/// Writes a new file `path` holding `data` so that no reader ever sees it partly written: a
/// temporary file beside it, created 0600 with O_EXCL (so a key is never readable by others,
/// not even for a moment) and then given `mode`, written, fsynced, hard-linked to `path` (which
/// refuses an existing file instead of replacing it), and the folder fsynced.
Status writeNewFile(const std::filesystem::path &path, std::string_view data, unsigned mode);

/// The whole of a file of at most `maxBytes`; the Error names the file and errno's reason.
Result<std::string> readSmallFile(const std::filesystem::path &path,
                                  std::size_t maxBytes = 1024 * 1024);

} // namespace hostsec::pki::Internal
