// The Beast-free part of the transport: value types of transport.h and the text helpers of
// wire.h.

#include "net/transport.h"
#include "net/wire.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace hostsec::net {

bool parseEndpoint(const std::string &text, Endpoint &out)
{
    std::string_view host;
    std::string_view port;
    const std::string_view view = text;
    if (!view.empty() && view.front() == '[') { // "[::1]:4000"
        const auto close = view.find(']');
        if (close == std::string_view::npos || close + 1 >= view.size() || view[close + 1] != ':')
            return false;
        host = view.substr(1, close - 1);
        port = view.substr(close + 2);
    } else {
        const auto colon = view.rfind(':');
        if (colon == std::string_view::npos)
            return false;
        host = view.substr(0, colon);
        port = view.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) // a bare IPv6 address is ambiguous
            return false;
    }
    if (host.empty() || port.empty() || port.size() > 5)
        return false;
    for (const char c : host) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '[' || c == ']')
            return false;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535)
        return false;
    out.host = std::string(host);
    out.port = static_cast<std::uint16_t>(value);
    return true;
}

std::string HttpRequest::header(const std::string &name) const
{
    const auto it = headers.find(Internal::toLower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string HttpRequest::queryValue(const std::string &name, const std::string &fallback) const
{
    const auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
}

HttpResponse HttpResponse::json(int status, std::string body)
{
    HttpResponse response;
    response.status = status;
    response.contentType = "application/json";
    response.body = std::move(body);
    return response;
}

HttpResponse HttpResponse::text(int status, std::string body)
{
    HttpResponse response;
    response.status = status;
    response.contentType = "text/plain; charset=utf-8";
    response.body = std::move(body);
    return response;
}

namespace Internal {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::string percentDecode(std::string_view text, bool plusIsSpace)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out.push_back(static_cast<char>(high * 16 + low));
                i += 2;
                continue;
            }
        }
        out.push_back(plusIsSpace && c == '+' ? ' ' : c);
    }
    return out;
}

void splitTarget(HttpRequest &request)
{
    const std::string_view target = request.target;
    const auto mark = target.find('?');
    request.path = percentDecode(target.substr(0, mark), false);
    request.query.clear();
    if (mark == std::string_view::npos)
        return;
    std::string_view rest = target.substr(mark + 1);
    const auto hash = rest.find('#');
    if (hash != std::string_view::npos)
        rest = rest.substr(0, hash);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty())
            continue;
        const auto eq = pair.find('=');
        std::string key = percentDecode(pair.substr(0, eq), true);
        std::string value =
            eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1), true);
        request.query.insert_or_assign(std::move(key), std::move(value));
    }
}

std::string toLower(std::string_view text)
{
    std::string out(text);
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string jsonErrorBody(int code, std::string_view message)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "{\"error\":{\"code\":" + std::to_string(code) + ",\"message\":\"";
    for (const char c : message) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20) {
            out += "\\u00";
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0xF]);
        } else {
            out.push_back(c);
        }
    }
    out += "\"}}";
    return out;
}

std::string httpDate()
{
    static constexpr std::array<const char *, 7> days = {"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
    static constexpr std::array<const char *, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  days.at(static_cast<std::size_t>(tm.tm_wday) % 7), tm.tm_mday,
                  months.at(static_cast<std::size_t>(tm.tm_mon) % 12), tm.tm_year + 1900,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

std::string describeDuration(std::chrono::milliseconds duration)
{
    return std::to_string(duration.count()) + " ms";
}

} // namespace Internal

} // namespace hostsec::net
