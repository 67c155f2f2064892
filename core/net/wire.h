#pragma once

// Private to core/net: the text work of HTTP that needs no Beast (decoding targets, error
// bodies, dates), shared by the server and the clients.

#include "net/transport.h"

#include <chrono>
#include <string>
#include <string_view>

namespace hostsec::net::Internal {

/// Decodes %XX escapes; with plusIsSpace ('+' in a query) '+' becomes ' '. A malformed escape
/// stays as it is.
std::string percentDecode(std::string_view text, bool plusIsSpace);

/// Fills request.path and request.query from request.target. A repeated key keeps its last value.
void splitTarget(HttpRequest &request);

/// ASCII lower case, for header names.
std::string toLower(std::string_view text);

/// The JSON error body every transport-made error response carries:
/// {"error":{"code":<code>,"message":"<message>"}}.
std::string jsonErrorBody(int code, std::string_view message);

/// The current time as an HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT"), locale-independent.
std::string httpDate();

/// "300 ms", for error messages about deadlines.
std::string describeDuration(std::chrono::milliseconds duration);

} // namespace hostsec::net::Internal
