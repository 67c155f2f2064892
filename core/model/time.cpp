#include "model/time.h"

#include <chrono>
#include <cstdio>

namespace hostsec {

namespace {

constexpr Millis MillisPerDay = 86'400'000;

// Civil-date arithmetic on the proleptic Gregorian calendar (H. Hinnant's algorithms), in
// 64-bit integers. Used instead of gmtime_r/timegm: exact for every Millis, no time_t range
// limits, no TZ environment, no locale, and thread-safe by construction.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate
{
    std::int64_t year;
    unsigned month;
    unsigned day;
};

CivilDate civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
    return {y, m, d};
}

bool isLeapYear(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(std::int64_t y, unsigned m)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeapYear(y) ? 29 : days[m - 1];
}

// Reads exactly `count` decimal digits at `pos`; false if any is not a digit.
bool readDigits(const std::string &text, std::size_t pos, std::size_t count, unsigned &out)
{
    if (pos + count > text.size()) {
        return false;
    }
    unsigned value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    out = value;
    return true;
}

} // namespace

Millis nowMillis()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string formatIsoTime(Millis t)
{
    if (t == 0) {
        return {};
    }
    // Floor division, so times before the epoch print as the instant they are.
    std::int64_t days = t / MillisPerDay;
    std::int64_t rest = t % MillisPerDay;
    if (rest < 0) {
        rest += MillisPerDay;
        --days;
    }
    const CivilDate date = civilFromDays(days);
    const auto ms = static_cast<int>(rest % 1000);
    const auto secs = static_cast<int>(rest / 1000);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<long long>(date.year), date.month, date.day, secs / 3600,
                  secs / 60 % 60, secs % 60, ms);
    return buffer;
}

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS.mmmZ", nothing else
// (no offsets, no spaces). Years before 1970 are refused: every time this product records is
// after the epoch, and refusing them keeps -1 an unambiguous "not a time".
Millis parseIsoTime(const std::string &text)
{
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    if (text.size() < 10 || !readDigits(text, 0, 4, year) || text[4] != '-' ||
        !readDigits(text, 5, 2, month) || text[7] != '-' || !readDigits(text, 8, 2, day)) {
        return -1;
    }
    if (text.size() > 10) {
        if (text[10] != 'T' || text.size() < 20 || !readDigits(text, 11, 2, hour) ||
            text[13] != ':' || !readDigits(text, 14, 2, minute) || text[16] != ':' ||
            !readDigits(text, 17, 2, second)) {
            return -1;
        }
        if (text.size() == 20) {
            if (text[19] != 'Z') {
                return -1;
            }
        } else if (text.size() != 24 || text[19] != '.' || !readDigits(text, 20, 3, millis) ||
                   text[23] != 'Z') {
            return -1;
        }
    }
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
        hour > 23 || minute > 59 || second > 59) {
        return -1;
    }
    const std::int64_t days = daysFromCivil(year, month, day);
    return days * MillisPerDay + ((hour * 60 + minute) * 60 + second) * Millis{1000} + millis;
}

} // namespace hostsec
