// Why: every peer binding speaks this envelope, and its decoder is the first code to touch bytes
// from the network. It must classify every well-formed message right, and turn every malformed,
// oversized or hostile one into a clear Error with the RPC status the caller sends back
// (0x6F7 bad stub data, 0x57 invalid parameter) without throwing or crashing.

#include "model/rpcstatus.h"
#include "protocol/jsonrpc.h"

#include <QtTest>

#include <random>

using namespace hostsec;
using nlohmann::json;

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString dumped(const json &j)
{
    return qs(j.dump());
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

constexpr std::size_t Limit = 64 * 1024;

int kindOf(const RpcMessage &m)
{
    return static_cast<int>(m.kind);
}

// A message nesting `depth` levels in all, the envelope object being the first.
std::string nestedParams(int depth)
{
    const int arrays = depth - 1;
    return R"({"jsonrpc":"2.0","method":"deep","params":)" + std::string(arrays, '[') +
           std::string(arrays, ']') + "}";
}
} // namespace

class tst_JsonRpc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wireFormatIsPinned();
    void requestRoundTrip_data();
    void requestRoundTrip();
    void notificationRoundTrip();
    void resultRoundTrip_data();
    void resultRoundTrip();
    void errorRoundTrip();
    void errorWithoutIdRoundTrip();
    void makeRpcErrorUsesStandardText();
    void malformedIsRefused_data();
    void malformedIsRefused();
    void depthLimit_data();
    void depthLimit();
    void depthBombIsRefusedQuickly();
    void oversizeIsRefused();
    void encodersNeverThrowOnBadUtf8();
    void hostileBytesNeverThrowOrCrash();
};

void tst_JsonRpc::wireFormatIsPinned()
{
    QCOMPARE(qs(encodeRequest(7, "changePassword", json{{"user", "CONTOSO\\alice"}})),
             QStringLiteral(R"({"id":7,"jsonrpc":"2.0","method":"changePassword",)"
                            R"("params":{"user":"CONTOSO\\alice"}})"));
    QCOMPARE(qs(encodeRequest(1, "ping")),
             QStringLiteral(R"({"id":1,"jsonrpc":"2.0","method":"ping"})"));
    QCOMPARE(qs(encodeNotification("bindingChanged", json::array({1, 2}))),
             QStringLiteral(R"({"jsonrpc":"2.0","method":"bindingChanged","params":[1,2]})"));
    QCOMPARE(qs(encodeResult(7, true)),
             QStringLiteral(R"({"id":7,"jsonrpc":"2.0","result":true})"));
    // encodeResult writes the envelope by hand around the result's text: an object result
    // and a negative id too.
    QCOMPARE(qs(encodeResult(-3, json{{"b", "x\"y"}, {"a", json::array({1, nullptr})}})),
             QStringLiteral(R"({"id":-3,"jsonrpc":"2.0","result":{"a":[1,null],"b":"x\"y"}})"));
    QCOMPARE(qs(encodeError(7, makeRpcError(rpc::CallFailed))),
             QStringLiteral(R"({"error":{"code":1726,"message":"The remote procedure call )"
                            R"(failed."},"id":7,"jsonrpc":"2.0"})"));
}

void tst_JsonRpc::requestRoundTrip_data()
{
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("params"); // JSON, or empty for none

    QTest::newRow("object params")
        << qint64{1} << "changePassword" << QByteArray(R"({"user":"alice","seq":3})");
    QTest::newRow("array params") << qint64{2} << "lookup" << QByteArray(R"(["CONTOSO","alice"])");
    QTest::newRow("empty object") << qint64{3} << "status" << QByteArray("{}");
    QTest::newRow("no params") << qint64{4} << "ping" << QByteArray();
    QTest::newRow("zero id") << qint64{0} << "ping" << QByteArray();
    QTest::newRow("negative id") << qint64{-5} << "ping" << QByteArray();
    QTest::newRow("max id") << std::numeric_limits<qint64>::max() << "ping" << QByteArray();
    QTest::newRow("min id") << std::numeric_limits<qint64>::min() << "ping" << QByteArray();
    QTest::newRow("unicode method") << qint64{9} << QStringLiteral("r\u00e9sum\u00e9")
                                    << QByteArray(R"({"note":"\u00e9\ud83d\ude00"})");
}

void tst_JsonRpc::requestRoundTrip()
{
    QFETCH(qint64, id);
    QFETCH(QString, method);
    QFETCH(QByteArray, params);

    const json p = params.isEmpty() ? json(nullptr) : json::parse(params.toStdString());
    const std::string text = encodeRequest(id, method.toStdString(), p);
    const Result<RpcMessage> decoded = decodeRpcMessage(text, Limit);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
    QCOMPARE(kindOf(*decoded), static_cast<int>(RpcMessageKind::Request));
    QVERIFY(decoded->request.id.has_value());
    QCOMPARE(*decoded->request.id, id);
    QCOMPARE(qs(decoded->request.method), method);
    QCOMPARE(dumped(decoded->request.params), dumped(p));
}

void tst_JsonRpc::notificationRoundTrip()
{
    const std::string text = encodeNotification("eventAppended", json{{"seq", 42}});
    const Result<RpcMessage> decoded = decodeRpcMessage(text, Limit);
    QVERIFY(decoded.ok());
    QCOMPARE(kindOf(*decoded), static_cast<int>(RpcMessageKind::Notification));
    QVERIFY(!decoded->request.id.has_value());
    QCOMPARE(qs(decoded->request.method), QStringLiteral("eventAppended"));
    QCOMPARE(dumped(decoded->request.params), QStringLiteral(R"({"seq":42})"));

    const Result<RpcMessage> bare = decodeRpcMessage(encodeNotification("tick"), Limit);
    QVERIFY(bare.ok());
    QCOMPARE(kindOf(*bare), static_cast<int>(RpcMessageKind::Notification));
    QVERIFY(bare->request.params.is_null());
}

void tst_JsonRpc::resultRoundTrip_data()
{
    QTest::addColumn<QByteArray>("result");

    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("false") << QByteArray("false");
    QTest::newRow("number") << QByteArray("1726");
    QTest::newRow("string") << QByteArray(R"("done")");
    QTest::newRow("object") << QByteArray(R"({"instance":"5f0c2a","service":"host"})");
    QTest::newRow("array") << QByteArray(R"([1,"two",{"three":3}])");
}

void tst_JsonRpc::resultRoundTrip()
{
    QFETCH(QByteArray, result);

    const json value = json::parse(result.toStdString());
    const Result<RpcMessage> decoded = decodeRpcMessage(encodeResult(11, value), Limit);
    QVERIFY(decoded.ok());
    QCOMPARE(kindOf(*decoded), static_cast<int>(RpcMessageKind::Response));
    QVERIFY(decoded->response.ok());
    QCOMPARE(decoded->response.id, std::optional<std::int64_t>(11));
    QCOMPARE(dumped(decoded->response.result), dumped(value));
}

void tst_JsonRpc::errorRoundTrip()
{
    RpcError error = makeRpcError(rpc::AccessDenied, "caller is a viewer");
    error.data = json{{"required_role", "operator"}};
    const Result<RpcMessage> decoded = decodeRpcMessage(encodeError(12, error), Limit);
    QVERIFY(decoded.ok());
    QCOMPARE(kindOf(*decoded), static_cast<int>(RpcMessageKind::Response));
    const RpcResponse &response = decoded->response;
    QVERIFY(!response.ok());
    QCOMPARE(response.id, std::optional<std::int64_t>(12));
    QCOMPARE(response.error->code, std::int64_t{0x5});
    QCOMPARE(qs(response.error->message), QStringLiteral("Access is denied. (caller is a viewer)"));
    QVERIFY(response.error->data.has_value());
    QCOMPARE(dumped(*response.error->data), QStringLiteral(R"({"required_role":"operator"})"));
    QVERIFY(response.result.is_null());

    // No data: none comes back.
    const Result<RpcMessage> plain =
        decodeRpcMessage(encodeError(13, makeRpcError(rpc::CallFailed)), Limit);
    QVERIFY(plain.ok());
    QVERIFY(!plain->response.error->data.has_value());
}

void tst_JsonRpc::errorWithoutIdRoundTrip()
{
    const std::string text = encodeError(std::nullopt, makeRpcError(rpc::BadStubData));
    QVERIFY(qs(text).contains(QStringLiteral(R"("id":null)")));
    const Result<RpcMessage> decoded = decodeRpcMessage(text, Limit);
    QVERIFY(decoded.ok());
    QVERIFY(!decoded->response.id.has_value());
    QCOMPARE(decoded->response.error->code, std::int64_t{0x6F7});
}

void tst_JsonRpc::makeRpcErrorUsesStandardText()
{
    const RpcError plain = makeRpcError(rpc::CallFailed);
    QCOMPARE(plain.code, std::int64_t{0x6BE});
    QCOMPARE(qs(plain.message), QStringLiteral("The remote procedure call failed."));
    QVERIFY(!plain.data.has_value());
    QCOMPARE(qs(makeRpcError(rpc::ServerUnavailable, "HS1 recycled").message),
             QStringLiteral("The RPC server is unavailable. (HS1 recycled)"));
}

void tst_JsonRpc::malformedIsRefused_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<uint>("code");
    QTest::addColumn<QString>("message"); // a part of the error message

    const uint bad = rpc::BadStubData;
    const auto raw = [](const char *text, char mark, char byte) {
        return QByteArray(text).replace(mark, byte);
    };

    // Not JSON at all: the message says where.
    QTest::newRow("empty") << QByteArray() << bad << "not JSON: parse error at line 1, column 1";
    QTest::newRow("truncated") << QByteArray(R"({"jsonrpc":"2.0","method")") << bad
                               << "not JSON: parse error at line 1, column 26";
    QTest::newRow("trailing comma") << QByteArray(R"({"jsonrpc":"2.0","method":"x",})") << bad
                                    << "not JSON: parse error at line 1, column 31";
    QTest::newRow("second line") << QByteArray("{\"jsonrpc\":\"2.0\",\n\"method\":x}") << bad
                                 << "not JSON: parse error at line 2";
    QTest::newRow("trailing garbage")
        << QByteArray(R"({"jsonrpc":"2.0","method":"x"} x)") << bad << "not JSON";
    QTest::newRow("two messages") << QByteArray(R"({"jsonrpc":"2.0"}{"jsonrpc":"2.0"})") << bad
                                  << "not JSON";
    QTest::newRow("single quotes") << QByteArray(R"({'jsonrpc':'2.0'})") << bad << "not JSON";
    QTest::newRow("raw NUL in string")
        << raw(R"({"jsonrpc":"2.0","method":"a#b"})", '#', '\0') << bad << "not JSON";
    QTest::newRow("invalid UTF-8")
        << raw(R"({"jsonrpc":"2.0","method":"a#b"})", '#', '\xff') << bad << "not JSON";
    QTest::newRow("number overflow") << QByteArray(R"({"jsonrpc":"2.0","id":1e999,"method":"x"})")
                                     << bad << "not JSON: at byte 27: number overflow";

    // JSON, but not an envelope.
    QTest::newRow("batch") << QByteArray(R"([{"jsonrpc":"2.0","method":"x"}])") << bad
                           << "batches (JSON arrays) are not supported";
    QTest::newRow("string") << QByteArray(R"("hello")") << bad
                            << "must be a JSON object, got string";
    QTest::newRow("number") << QByteArray("42") << bad << "must be a JSON object, got number";
    QTest::newRow("null") << QByteArray("null") << bad << "must be a JSON object, got null";
    QTest::newRow("no jsonrpc") << QByteArray(R"({"id":1,"method":"x"})") << bad
                                << R"(missing "jsonrpc": "2.0")";
    QTest::newRow("jsonrpc 1.0") << QByteArray(R"({"jsonrpc":"1.0","id":1,"method":"x"})") << bad
                                 << R"("jsonrpc" must be "2.0", got string "1.0")";
    QTest::newRow("jsonrpc a number") << QByteArray(R"({"jsonrpc":2.0,"id":1,"method":"x"})") << bad
                                      << R"("jsonrpc" must be "2.0", got number)";
    QTest::newRow("neither request nor response")
        << QByteArray(R"({"jsonrpc":"2.0","id":1})") << bad << "neither a request";

    // Requests.
    QTest::newRow("method a number") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":5})") << bad
                                     << R"("method" must be a string, got number 5)";
    QTest::newRow("method null") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":null})") << bad
                                 << R"("method" must be a string, got null)";
    QTest::newRow("method empty") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":""})") << bad
                                  << R"("method" must not be empty)";
    QTest::newRow("params a string")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"x","params":"a"})") << bad
        << R"("params" must be an object or an array, got string)";
    QTest::newRow("params null") << QByteArray(
                                        R"({"jsonrpc":"2.0","id":1,"method":"x","params":null})")
                                 << bad << R"("params" must be an object or an array, got null)";
    QTest::newRow("id a string") << QByteArray(R"({"jsonrpc":"2.0","id":"1","method":"x"})") << bad
                                 << R"("id" must be an integer (int64), got string "1")";
    QTest::newRow("id a float") << QByteArray(R"({"jsonrpc":"2.0","id":1.5,"method":"x"})") << bad
                                << R"("id" must be an integer (int64), got number 1.5)";
    QTest::newRow("id null in request") << QByteArray(R"({"jsonrpc":"2.0","id":null,"method":"x"})")
                                        << bad << R"("id" must be an integer (int64), got null)";
    QTest::newRow("id beyond int64")
        << QByteArray(R"({"jsonrpc":"2.0","id":9223372036854775808,"method":"x"})") << bad
        << R"("id" must be an integer (int64))";
    QTest::newRow("id a boolean") << QByteArray(R"({"jsonrpc":"2.0","id":true,"method":"x"})")
                                  << bad << R"("id" must be an integer (int64), got boolean true)";
    QTest::newRow("method and result")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"x","result":1})") << bad
        << R"(both "method" and "result" or "error")";

    // Responses.
    QTest::newRow("result and error")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{"code":5,"message":"m"}})")
        << bad << R"(both "result" and "error")";
    QTest::newRow("response without id")
        << QByteArray(R"({"jsonrpc":"2.0","result":1})") << bad << R"(a response needs an "id")";
    QTest::newRow("result with null id") << QByteArray(R"({"jsonrpc":"2.0","id":null,"result":1})")
                                         << bad << R"("id" may be null only in an error response)";
    QTest::newRow("response id a string") << QByteArray(R"({"jsonrpc":"2.0","id":"7","result":1})")
                                          << bad << R"("id" must be an integer)";
    QTest::newRow("error a string") << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":"failed"})")
                                    << bad << R"("error" must be an object, got string)";
    QTest::newRow("error without code")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"message":"m"}})") << bad
        << R"("error" has no integer "code")";
    QTest::newRow("error code a string")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":"0x6BE","message":"m"}})") << bad
        << R"("error.code" must be an integer, got string "0x6BE")";
    QTest::newRow("error code a float")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":1726.0,"message":"m"}})") << bad
        << R"("error.code" must be an integer, got number)";
    QTest::newRow("error without message")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":1726}})") << bad
        << R"("error.message" must be a string, got nothing)";
    QTest::newRow("error message a number")
        << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":1726,"message":3}})") << bad
        << R"("error.message" must be a string, got number 3)";
}

void tst_JsonRpc::malformedIsRefused()
{
    QFETCH(QByteArray, input);
    QFETCH(uint, code);
    QFETCH(QString, message);

    const Result<RpcMessage> decoded = decodeRpcMessage(view(input), Limit);
    QVERIFY(!decoded.ok());
    QCOMPARE(static_cast<uint>(decoded.error().code), code);
    const QString text = qs(decoded.error().message);
    QVERIFY2(text.startsWith(QStringLiteral("malformed JSON-RPC message: ")), qPrintable(text));
    QVERIFY2(text.contains(message), qPrintable(text));
    // Printable ASCII only, whatever the input held.
    for (const QChar c : text) {
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() < 0x7F, qPrintable(text));
    }
}

void tst_JsonRpc::depthLimit_data()
{
    QTest::addColumn<int>("depth");
    QTest::addColumn<bool>("ok");

    QTest::newRow("2") << 2 << true;
    QTest::newRow("64, the limit") << MaxRpcDepth << true;
    QTest::newRow("65") << MaxRpcDepth + 1 << false;
    QTest::newRow("1000") << 1000 << false;
}

void tst_JsonRpc::depthLimit()
{
    QFETCH(int, depth);
    QFETCH(bool, ok);

    const Result<RpcMessage> decoded = decodeRpcMessage(nestedParams(depth), Limit);
    QCOMPARE(decoded.ok(), ok);
    if (!ok) {
        QCOMPARE(decoded.error().code, static_cast<int>(rpc::BadStubData));
        QVERIFY2(qs(decoded.error().message).contains(QStringLiteral("nest deeper than 64")),
                 decoded.error().message.c_str());
    }
}

void tst_JsonRpc::depthBombIsRefusedQuickly()
{
    // Unterminated and terminated bombs, of arrays and of objects, at the size limit.
    const std::size_t n = Limit / 5;
    std::string objects;
    for (std::size_t i = 0; i < n; ++i) {
        objects += R"({"a":)";
    }
    for (const std::string &bomb :
         {std::string(Limit, '['), std::string(Limit / 2, '[') + std::string(Limit / 2, ']'),
          objects}) {
        const Result<RpcMessage> decoded = decodeRpcMessage(bomb, Limit);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code, static_cast<int>(rpc::BadStubData));
        QVERIFY(qs(decoded.error().message).contains(QStringLiteral("nest deeper")));
    }

    // Brackets inside strings are text, not nesting.
    const std::string brackets(1000, '[');
    const Result<RpcMessage> quoted =
        decodeRpcMessage(encodeRequest(1, "x", json{{"text", brackets + "\"\\"}}), Limit);
    QVERIFY2(quoted.ok(), quoted.ok() ? "" : quoted.error().message.c_str());
    QCOMPARE(qs(quoted->request.params.at("text").get<std::string>()), qs(brackets + "\"\\"));
}

void tst_JsonRpc::oversizeIsRefused()
{
    const std::string text = encodeRequest(1, "x", json{{"blob", std::string(1000, 'a')}});
    QVERIFY(decodeRpcMessage(text, text.size()).ok());

    const Result<RpcMessage> decoded = decodeRpcMessage(text, text.size() - 1);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, static_cast<int>(rpc::InvalidParameter));
    const QString message = qs(decoded.error().message);
    QVERIFY2(message.contains(QStringLiteral("%1 bytes").arg(text.size())), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("limit of %1 bytes").arg(text.size() - 1)),
             qPrintable(message));

    // Checked before parsing: a huge non-JSON text gets the size error, not a parse error.
    const Result<RpcMessage> junk = decodeRpcMessage(std::string(100, '~'), 10);
    QCOMPARE(junk.error().code, static_cast<int>(rpc::InvalidParameter));
}

void tst_JsonRpc::encodersNeverThrowOnBadUtf8()
{
    const std::string bad = "user \xff\xfe";
    std::string text;
    text = encodeRequest(1, bad, json{{"name", bad}});
    QVERIFY(decodeRpcMessage(text, Limit).ok());
    text = encodeNotification(bad);
    QVERIFY(decodeRpcMessage(text, Limit).ok());
    text = encodeResult(1, bad);
    QVERIFY(decodeRpcMessage(text, Limit).ok());
    text = encodeError(1, makeRpcError(rpc::NoSuchUser, bad));
    QVERIFY(decodeRpcMessage(text, Limit).ok());
}

void tst_JsonRpc::hostileBytesNeverThrowOrCrash()
{
    // A small deterministic fuzz: random bytes, and valid messages with bytes flipped, cut or
    // duplicated. Decoding must return, never throw; the sanitizers watch for the rest.
    const std::vector<std::string> seeds = {
        encodeRequest(1, "changePassword", json{{"user", "CONTOSO\\alice"}, {"seq", 3}}),
        encodeNotification("event", json::array({1, json::object({{"a", nullptr}})})),
        encodeResult(2, json{{"ok", true}, {"list", {1.5, -2, "x"}}}),
        encodeError(3, makeRpcError(rpc::CallFailed, "peer")),
    };
    const std::string alphabet = "{}[]\":,\\ 0123456789.eE+-truefalsnl\xff\x01u";
    std::mt19937 rng(216558);
    int decodedOk = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        if (i % 4 == 0) {
            const std::size_t size = rng() % 200;
            for (std::size_t k = 0; k < size; ++k) {
                text += alphabet[rng() % alphabet.size()];
            }
        } else {
            text = seeds[rng() % seeds.size()];
            const int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits && !text.empty(); ++e) {
                const std::size_t at = rng() % text.size();
                switch (rng() % 3) {
                case 0:
                    text[at] = alphabet[rng() % alphabet.size()];
                    break;
                case 1:
                    text.erase(at, 1 + rng() % 8);
                    break;
                default:
                    text.insert(at, text.substr(at, rng() % 16));
                    break;
                }
            }
        }
        try {
            const Result<RpcMessage> decoded = decodeRpcMessage(text, 512);
            if (decoded.ok()) {
                ++decodedOk;
            } else {
                QVERIFY(!decoded.error().message.empty());
            }
        } catch (...) {
            QFAIL(qPrintable(
                QStringLiteral("threw on: %1")
                    .arg(QString::fromLatin1(text.data(), static_cast<qsizetype>(text.size())))));
        }
    }
    QVERIFY(decodedOk > 0); // the mutations are mild enough that some stay valid
}

QTEST_APPLESS_MAIN(tst_JsonRpc)
#include "tst_jsonrpc.moc"
