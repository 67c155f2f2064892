#pragma once

/// Marks a user-visible string in core for translation. Core has no Qt: the macro is a no-op
/// that lupdate recognises (run with -tr-function-alias QT_TRANSLATE_NOOP+=HOSTSEC_TR), and ui
/// translates the string at display time with QCoreApplication::translate(context, text).
#define HOSTSEC_TR(context, text) text
