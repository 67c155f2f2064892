#include "report/escape.h"

#include <cstdint>
#include <cstdio>

namespace hostsec::report {

namespace {

constexpr std::string_view Replacement = "\xEF\xBF\xBD"; // U+FFFD

void appendUtf8(std::string &out, char32_t c)
{
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Decodes one UTF-8 sequence at `pos`: its code point and length, or length 0 when the bytes
// there are not a valid, shortest-form sequence of a Unicode scalar value.
struct Decoded
{
    char32_t c = 0;
    std::size_t length = 0;
};

Decoded decode(std::string_view s, std::size_t pos)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
    const unsigned char b0 = byte(0);
    if (b0 < 0x80)
        return {b0, 1};
    std::size_t length = 0;
    char32_t c = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        c = b0 & 0x1F;
        min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        c = b0 & 0x0F;
        min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        c = b0 & 0x07;
        min = 0x10000;
    } else {
        return {};
    }
    if (pos + length > s.size())
        return {};
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80)
            return {};
        c = (c << 6) | (byte(i) & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return {};
    return {c, length};
}

// Calls `each(c, bytes)` for every code point of the cleaned text; `bytes` is its UTF-8.
template <class Each>
void forEachClean(std::string_view text, Each each)
{
    std::string bytes;
    for (std::size_t pos = 0; pos < text.size();) {
        const Decoded d = decode(text, pos);
        if (d.length == 0) {
            each(char32_t{0xFFFD}, Replacement);
            ++pos;
            continue;
        }
        char32_t c = d.c;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            c = c == 0x7F ? 0x2421 : 0x2400 + c;
        if (c == d.c) {
            each(c, text.substr(pos, d.length));
        } else {
            bytes.clear();
            appendUtf8(bytes, c);
            each(c, std::string_view(bytes));
        }
        pos += d.length;
    }
}

} // namespace

bool isBidiControl(char32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

std::string cleanText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    forEachClean(text, [&](char32_t, std::string_view bytes) { out += bytes; });
    return out;
}

std::string escapeHtml(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    forEachClean(text, [&](char32_t c, std::string_view bytes) {
        switch (c) {
        case '&':
            out += "&amp;";
            return;
        case '<':
            out += "&lt;";
            return;
        case '>':
            out += "&gt;";
            return;
        case '"':
            out += "&quot;";
            return;
        case '\'':
            out += "&#39;";
            return;
        default:
            break;
        }
        if (isBidiControl(c)) {
            char marker[16];
            std::snprintf(marker, sizeof marker, "[U+%04X]", static_cast<unsigned>(c));
            out += marker;
            return;
        }
        out += bytes;
    });
    return out;
}

std::string csvField(std::string_view text)
{
    std::string clean = cleanText(text);
    if (clean.find_first_of(",\"\r\n") == std::string::npos)
        return clean;
    std::string out;
    out.reserve(clean.size() + 8);
    out += '"';
    for (const char c : clean) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string escapeBidiInJson(std::string_view json)
{
    std::string out;
    out.reserve(json.size());
    for (std::size_t pos = 0; pos < json.size();) {
        const Decoded d = decode(json, pos);
        if (d.length > 1 && isBidiControl(d.c)) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(d.c));
            out += escape;
            pos += d.length;
            continue;
        }
        const std::size_t length = d.length == 0 ? 1 : d.length;
        out += json.substr(pos, length);
        pos += length;
    }
    return out;
}

} // namespace hostsec::report
