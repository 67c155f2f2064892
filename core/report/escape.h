#pragma once

#include <string>
#include <string_view>

namespace hostsec::report {

// Every name in a report comes from an agent or a profile and may hold anything: markup,
// separators, line breaks, right-to-left overrides, invalid UTF-8. These functions make such
// text safe for one format each, and are the only way text enters a report file.

/// `text` as valid UTF-8 a reader can display: each byte of an invalid sequence becomes U+FFFD,
/// and C0 controls other than tab, LF and CR (and DEL) become their Control Pictures symbol
/// (U+2400 + code, U+2421 for DEL), which every format can carry.
std::string cleanText(std::string_view text);

/// Whether `c` is a bidirectional formatting control (U+061C, U+200E, U+200F, U+202A..U+202E,
/// U+2066..U+2069): characters that reorder the text around them (the "Trojan Source" trick).
bool isBidiControl(char32_t c);

/// Clean text for HTML element content or a quoted attribute value: & < > " ' as entity
/// references, and every bidi control shown as a visible marker, "[U+202E]": a report is read
/// by people, who must see that a name holds one rather than read the name it fakes. (The
/// caller still isolates each value in a table cell or <bdi>, for right-to-left scripts.)
std::string escapeHtml(std::string_view text);

/// One CSV field by RFC 4180: clean text, quoted (quotes doubled) when it holds a comma, a
/// quote, CR or LF, as it stands otherwise.
std::string csvField(std::string_view text);

/// Replaces each bidi control in serialised JSON by its \uXXXX escape. JSON's own syntax is
/// ASCII, so the controls can only stand inside strings, where the escape means the same.
std::string escapeBidiInJson(std::string_view json);

} // namespace hostsec::report
