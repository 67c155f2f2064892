// Why: operators search the web and Microsoft's documentation for the exact text and hex code a
// failure prints ("0x6BE (The remote procedure call failed.)", as in Q216558). A status whose
// name or text drifts from Windows' own breaks that search, so every code is pinned here.

#include "model/rpcstatus.h"

#include <QtTest>

#include <algorithm>

using namespace hostsec;

namespace {
QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
} // namespace

class tst_RpcStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownCodesHaveWindowsNamesAndTexts_data();
    void knownCodesHaveWindowsNamesAndTexts();
    void catalogueIsOrderedAndComplete();
    void hexIsUpperCaseWithoutLeadingZeros_data();
    void hexIsUpperCaseWithoutLeadingZeros();
    void parseAcceptsHexAndDecimal_data();
    void parseAcceptsHexAndDecimal();
    void parseRefusesWhatIsNotACode_data();
    void parseRefusesWhatIsNotACode();
    void hexRoundTripsThroughParse();
    void unknownCodeSaysSo();
    void describePrintsLikeTheSeedArticle_data();
    void describePrintsLikeTheSeedArticle();
};

void tst_RpcStatus::knownCodesHaveWindowsNamesAndTexts_data()
{
    QTest::addColumn<uint>("code");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");

    QTest::newRow("0x0") << 0x0u << "ERROR_SUCCESS"
                         << "The operation completed successfully.";
    QTest::newRow("0x5") << 0x5u << "ERROR_ACCESS_DENIED"
                         << "Access is denied.";
    QTest::newRow("0x57") << 0x57u << "ERROR_INVALID_PARAMETER"
                          << "The parameter is incorrect.";
    QTest::newRow("0x525") << 0x525u << "ERROR_NO_SUCH_USER"
                           << "The specified account does not exist.";
    QTest::newRow("0x52D") << 0x52Du << "ERROR_PASSWORD_RESTRICTION"
                           << "Unable to update the password. The value provided for the new "
                              "password does not meet the length, complexity, or history "
                              "requirements of the domain.";
    QTest::newRow("0x52E") << 0x52Eu << "ERROR_LOGON_FAILURE"
                           << "The user name or password is incorrect.";
    QTest::newRow("0x5B4") << 0x5B4u << "ERROR_TIMEOUT"
                           << "This operation returned because the timeout period expired.";
    QTest::newRow("0x6A6") << 0x6A6u << "RPC_S_INVALID_BINDING"
                           << "The binding handle is invalid.";
    QTest::newRow("0x6B5") << 0x6B5u << "RPC_S_UNKNOWN_IF"
                           << "The interface is unknown.";
    QTest::newRow("0x6BA") << 0x6BAu << "RPC_S_SERVER_UNAVAILABLE"
                           << "The RPC server is unavailable.";
    QTest::newRow("0x6BB") << 0x6BBu << "RPC_S_SERVER_TOO_BUSY"
                           << "The RPC server is too busy to complete this operation.";
    QTest::newRow("0x6BE") << 0x6BEu << "RPC_S_CALL_FAILED"
                           << "The remote procedure call failed.";
    QTest::newRow("0x6BF") << 0x6BFu << "RPC_S_CALL_FAILED_DNE"
                           << "The remote procedure call failed and did not execute.";
    QTest::newRow("0x6D1") << 0x6D1u << "RPC_S_PROCNUM_OUT_OF_RANGE"
                           << "The procedure number is out of range.";
    QTest::newRow("0x6D9") << 0x6D9u << "EPT_S_NOT_REGISTERED"
                           << "There are no more endpoints available from the endpoint mapper.";
    QTest::newRow("0x6F7") << 0x6F7u << "RPC_X_BAD_STUB_DATA"
                           << "The stub received bad data.";
    QTest::newRow("0x71A") << 0x71Au << "RPC_S_CALL_CANCELLED"
                           << "The remote procedure call was cancelled.";
}

void tst_RpcStatus::knownCodesHaveWindowsNamesAndTexts()
{
    QFETCH(uint, code);
    QFETCH(QString, name);
    QFETCH(QString, text);

    QVERIFY(isKnownRpcStatus(code));
    const RpcStatus status = rpcStatus(code);
    QCOMPARE(status.code, code);
    QCOMPARE(qs(status.name), name);
    QCOMPARE(qs(status.text), text);
}

void tst_RpcStatus::catalogueIsOrderedAndComplete()
{
    const auto &all = allRpcStatuses();
    QCOMPARE(all.size(), std::size_t{17});
    QVERIFY(std::is_sorted(all.begin(), all.end(),
                           [](const RpcStatus &a, const RpcStatus &b) { return a.code < b.code; }));
    QVERIFY(std::adjacent_find(all.begin(), all.end(), [](const RpcStatus &a, const RpcStatus &b) {
                return a.code == b.code;
            }) == all.end());
    for (const RpcStatus &s : all) {
        QVERIFY(!s.name.empty());
        QVERIFY(s.text.ends_with('.'));
    }
}

void tst_RpcStatus::hexIsUpperCaseWithoutLeadingZeros_data()
{
    QTest::addColumn<uint>("code");
    QTest::addColumn<QString>("hex");

    QTest::newRow("zero") << 0x0u << "0x0";
    QTest::newRow("one digit") << 0x5u << "0x5";
    QTest::newRow("call failed") << 0x6BEu << "0x6BE";
    QTest::newRow("bad stub data") << 0x6F7u << "0x6F7";
    QTest::newRow("max") << 0xFFFFFFFFu << "0xFFFFFFFF";
    QTest::newRow("hresult-like") << 0x80070005u << "0x80070005";
}

void tst_RpcStatus::hexIsUpperCaseWithoutLeadingZeros()
{
    QFETCH(uint, code);
    QFETCH(QString, hex);
    QCOMPARE(qs(rpcCodeHex(code)), hex);
}

void tst_RpcStatus::parseAcceptsHexAndDecimal_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<uint>("code");

    QTest::newRow("0x upper") << "0x6BE" << 0x6BEu;
    QTest::newRow("0x lower") << "0x6be" << 0x6BEu;
    QTest::newRow("0X prefix") << "0X6BE" << 0x6BEu;
    QTest::newRow("bare hex") << "6BE" << 0x6BEu;
    QTest::newRow("decimal") << "1726" << 1726u;
    QTest::newRow("decimal zero") << "0" << 0u;
    QTest::newRow("0x zero") << "0x0" << 0u;
    QTest::newRow("decimal five") << "5" << 5u;
    QTest::newRow("max hex") << "0xFFFFFFFF" << 0xFFFFFFFFu;
    QTest::newRow("max decimal") << "4294967295" << 0xFFFFFFFFu;
}

void tst_RpcStatus::parseAcceptsHexAndDecimal()
{
    QFETCH(QString, text);
    QFETCH(uint, code);

    std::uint32_t parsed = 12345;
    QVERIFY(parseRpcCode(text.toStdString(), parsed));
    QCOMPARE(parsed, code);
}

void tst_RpcStatus::parseRefusesWhatIsNotACode_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "";
    QTest::newRow("prefix only") << "0x";
    QTest::newRow("not hex") << "0x6BG";
    QTest::newRow("word") << "failed";
    QTest::newRow("negative") << "-5";
    QTest::newRow("plus") << "+5";
    QTest::newRow("leading space") << " 5";
    QTest::newRow("trailing space") << "5 ";
    QTest::newRow("hex too big") << "0x100000000";
    QTest::newRow("decimal too big") << "4294967296";
    QTest::newRow("double prefix") << "0x0x5";
}

void tst_RpcStatus::parseRefusesWhatIsNotACode()
{
    QFETCH(QString, text);

    std::uint32_t parsed = 12345;
    QVERIFY(!parseRpcCode(text.toStdString(), parsed));
    QCOMPARE(parsed, 12345u); // untouched on failure
}

void tst_RpcStatus::hexRoundTripsThroughParse()
{
    for (const std::uint32_t code : {0u, 1u, 9u, 10u, 0x6BEu, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
        std::uint32_t parsed = 0;
        QVERIFY(parseRpcCode(rpcCodeHex(code), parsed));
        QCOMPARE(parsed, code);
    }
    for (const RpcStatus &s : allRpcStatuses()) {
        std::uint32_t parsed = 0;
        QVERIFY(parseRpcCode(rpcCodeHex(s.code), parsed));
        QCOMPARE(parsed, s.code);
    }
}

void tst_RpcStatus::unknownCodeSaysSo()
{
    QVERIFY(!isKnownRpcStatus(0x1234));
    const RpcStatus status = rpcStatus(0x1234);
    QCOMPARE(status.code, 0x1234u);
    QCOMPARE(qs(status.name), QStringLiteral("UNKNOWN"));
    QVERIFY(qs(status.text).contains(QStringLiteral("Unknown"), Qt::CaseInsensitive));
    QCOMPARE(qs(describeRpcStatus(0x1234)), QStringLiteral("0x1234 (Unknown status code.)"));
}

void tst_RpcStatus::describePrintsLikeTheSeedArticle_data()
{
    QTest::addColumn<uint>("code");
    QTest::addColumn<QString>("description");

    QTest::newRow("call failed") << 0x6BEu << "0x6BE (The remote procedure call failed.)";
    QTest::newRow("access denied") << 0x5u << "0x5 (Access is denied.)";
    QTest::newRow("success") << 0x0u << "0x0 (The operation completed successfully.)";
}

void tst_RpcStatus::describePrintsLikeTheSeedArticle()
{
    QFETCH(uint, code);
    QFETCH(QString, description);
    QCOMPARE(qs(describeRpcStatus(code)), description);
}

QTEST_APPLESS_MAIN(tst_RpcStatus)
#include "tst_rpcstatus.moc"
