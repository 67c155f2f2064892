// Why these tests exist: the domain's CA is what mutual TLS will rest on. A certificate that
// verifies when it should not (another CA, expired, wrong host, wrong purpose, no role) lets a
// stranger in; one that the TLS stack or the openssl tool does not accept locks everyone out;
// a key readable by others or a half-written file is a leak or a broken domain. So the
// certificates are checked with OpenSSL's own API, with the openssl command-line tool as an
// outside consumer, and in a real TLS 1.3 handshake with peer verification both ways.

#include "pki/authority.h"
#include "pki/identity.h"

#include "model/time.h"

#include <utility> // before Asio, see core/net/asio.h

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <sys/stat.h>

using namespace hostsec;
using namespace hostsec::pki;
namespace fs = std::filesystem;

namespace {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

std::string readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

unsigned modeOf(const fs::path &path)
{
    struct stat info = {};
    if (::stat(path.c_str(), &info) != 0)
        return 0xFFFF;
    return static_cast<unsigned>(info.st_mode & 07777);
}

struct X509Free
{
    void operator()(X509 *cert) const { X509_free(cert); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr loadCertificate(const fs::path &path)
{
    const std::string pem = readText(path);
    std::unique_ptr<BIO, decltype(&BIO_free_all)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free_all);
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

bool isCritical(X509 *cert, int nid)
{
    const int index = X509_get_ext_by_NID(cert, nid, -1);
    return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

/// The openssl command-line tool's exit code and output (stdout and stderr merged).
struct Run
{
    int exitCode = -1;
    QString output;
};

Run openssl(const QStringList &arguments, const QString &dir)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    Run run;
    if (!process.waitForFinished(30000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.output = QString::fromLocal8Bit(process.readAll());
    return run;
}

/// One side of a TLS connection: its certificate and key (none when empty) and the CA it
/// trusts.
struct Party
{
    fs::path cert;
    fs::path key;
    fs::path trustedCa;
};

/// What a TLS exchange gave: each side's error (empty if it succeeded), the client's
/// identity as the server read it from the peer certificate, and what the client received.
struct Exchange
{
    std::string serverError = "did not finish";
    std::string clientError = "did not finish";
    std::string peerName;
    std::string peerRole;
    int version = 0;
    std::string received;
};

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

constexpr std::string_view Greeting = "hello";

/// A context as the mutual TLS step will make them: TLS 1.3 at least, the peer verified
/// against the domain CA and required.
std::unique_ptr<ssl::context> makeContext(ssl::context::method method, const Party &party)
{
    auto context = std::make_unique<ssl::context>(method);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_3_VERSION);
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    error_code ec;
    context->load_verify_file(party.trustedCa.string(), ec);
    if (!party.cert.empty() && !ec)
        context->use_certificate_chain_file(party.cert.string(), ec);
    if (!party.key.empty() && !ec)
        context->use_private_key_file(party.key.string(), ssl::context::pem, ec);
    if (ec)
        qFatal("cannot set up a TLS context: %s", ec.message().c_str());
    return context;
}

/// A server and a client on 127.0.0.1 (ephemeral port): the client expects the server to be
/// `host`; after both handshakes the server sends a greeting. A failing side closes its
/// socket, as a real one would. Everything has a 10 s deadline.
Exchange exchange(const Party &server, const Party &client, const std::string &host)
{
    Exchange result;
    asio::io_context io;
    const auto serverContext = makeContext(ssl::context::tls_server, server);
    const auto clientContext = makeContext(ssl::context::tls_client, client);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    ssl::stream<tcp::socket> serverStream(io, *serverContext);
    ssl::stream<tcp::socket> clientStream(io, *clientContext);
    std::array<char, Greeting.size()> buffer{};

    acceptor.async_accept(serverStream.next_layer(), [&](error_code ec) {
        if (ec) {
            result.serverError = "accept: " + ec.message();
            return;
        }
        serverStream.async_handshake(ssl::stream_base::server, [&](error_code handshake) {
            if (handshake) {
                result.serverError = "handshake: " + handshake.message();
                serverStream.next_layer().close();
                return;
            }
            SSL *native = serverStream.native_handle();
            result.version = SSL_version(native);
            if (const X509 *peer = SSL_get0_peer_certificate(native)) {
                const Result<Identity> identity = identityOf(*peer);
                result.peerName = identity ? identity->name : identity.error().message;
                result.peerRole = identity ? std::string(roleName(identity->role)) : "";
            }
            asio::async_write(serverStream, asio::buffer(Greeting),
                              [&](error_code write, std::size_t) {
                                  result.serverError = write ? "write: " + write.message() : "";
                              });
        });
    });

    clientStream.set_verify_callback(ssl::host_name_verification(host));
    clientStream.next_layer().async_connect(acceptor.local_endpoint(), [&](error_code ec) {
        if (ec) {
            result.clientError = "connect: " + ec.message();
            return;
        }
        clientStream.async_handshake(ssl::stream_base::client, [&](error_code handshake) {
            if (handshake) {
                result.clientError = "handshake: " + handshake.message();
                clientStream.next_layer().close();
                return;
            }
            // In TLS 1.3 the server judges the client's certificate after the client's
            // handshake is done: a refusal shows up on the first read.
            asio::async_read(clientStream, asio::buffer(buffer),
                             [&](error_code read, std::size_t size) {
                                 result.clientError = read ? "read: " + read.message() : "";
                                 result.received.assign(buffer.data(), size);
                                 clientStream.next_layer().close();
                             });
        });
    });

    io.run_for(std::chrono::seconds(10));
    return result;
}

} // namespace

class tst_Pki : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void caHasTheExtensionsOfACa();
    void existingCaFolderIsRefused();
    void issuedCertificatesVerifyAndCarryTheirRole_data();
    void issuedCertificatesVerifyAndCarryTheirRole();
    void extendedKeyUsageFollowsTheRole();
    void clientCertificateIsRefusedAsServer();
    void certificateFromAnotherCaIsRefused_data();
    void certificateFromAnotherCaIsRefused();
    void hostnameMismatchIsRefused_data();
    void hostnameMismatchIsRefused();
    void expiredAndNotYetValidAreRefused();
    void certificateWithoutRoleIsRefused();
    void badRequestsAreRefusedAndWriteNothing_data();
    void badRequestsAreRefusedAndWriteNothing();
    void existingFilesAreNeverReplaced();
    void caKeyReadableByOthersIsRefused();
    void garbageGivesAnErrorNotACrash();

    void opensslToolAcceptsTheCertificates();

    void mutualTlsHandshake_data();
    void mutualTlsHandshake();

private:
    /// A fresh CA in <tmp>/<folder>, and a certificate it issued; fails the test on error.
    Authority makeCa(const std::string &folder, const std::string &domain = "HOSTDOM");
    Issued makeCert(const std::string &caFolder, const std::string &name, Role role,
                    std::vector<std::string> hosts = {}, const std::string &outFolder = "certs");
    fs::path path(const std::string &relative) const
    {
        return fs::path(m_dir->path().toStdString()) / relative;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Pki::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

Authority tst_Pki::makeCa(const std::string &folder, const std::string &domain)
{
    Result<Authority> ca = initCa(path(folder), domain);
    if (!ca)
        qFatal("initCa failed: %s", ca.error().message.c_str());
    return *ca;
}

Issued tst_Pki::makeCert(const std::string &caFolder, const std::string &name, Role role,
                         std::vector<std::string> hosts, const std::string &outFolder)
{
    IssueRequest request;
    request.name = name;
    request.role = role;
    request.hosts = std::move(hosts);
    Result<Issued> issued = issue(path(caFolder), request, path(outFolder));
    if (!issued)
        qFatal("issue failed: %s", issued.error().message.c_str());
    return *issued;
}

void tst_Pki::caHasTheExtensionsOfACa()
{
    const Authority ca = makeCa("ca");
    QCOMPARE(ca.name, std::string("HOSTDOM host security CA"));
    QCOMPARE(modeOf(path("ca/ca.key")), 0600u);
    QCOMPARE(modeOf(path("ca/ca.crt")), 0644u);
    QCOMPARE(modeOf(path("ca")), 0700u);
    QCOMPARE(ca.certFile, path("ca/ca.crt"));
    QCOMPARE(ca.keyFile, path("ca/ca.key"));

    const X509Ptr cert = loadCertificate(ca.certFile);
    QVERIFY(cert);
    QCOMPARE(X509_self_signed(cert.get(), 1), 1); // and its signature checks out
    QCOMPARE(X509_check_ca(cert.get()), 1);
    QVERIFY(isCritical(cert.get(), NID_basic_constraints));
    QVERIFY(isCritical(cert.get(), NID_key_usage));
    QCOMPARE(X509_get_key_usage(cert.get()), std::uint32_t{KU_KEY_CERT_SIGN | KU_CRL_SIGN});
    QCOMPARE(X509_get_pathlen(cert.get()), 0L);
    QVERIFY(X509_get0_subject_key_id(cert.get()));

    EVP_PKEY *key = X509_get0_pubkey(cert.get());
    char group[64] = {};
    QVERIFY(EVP_PKEY_get_group_name(key, group, sizeof group, nullptr));
    QCOMPARE(QByteArray(group), QByteArray("prime256v1"));

    // Ten years, give or take the minute of clock skew and leap days.
    const Millis years = ca.notAfter - nowMillis();
    QVERIFY(years > Millis{3649} * 24 * 3600 * 1000);
    QVERIFY(years <= Millis{3650} * 24 * 3600 * 1000);
    QCOMPARE(ca.fingerprint.size(), std::size_t{32 * 3 - 1});
}

void tst_Pki::existingCaFolderIsRefused()
{
    makeCa("ca");
    const std::string key = readText(path("ca/ca.key"));
    const Result<Authority> again = initCa(path("ca"), "OTHER");
    QVERIFY(!again);
    QVERIFY2(again.error().message.find("already holds a CA") != std::string::npos,
             again.error().message.c_str());
    QCOMPARE(readText(path("ca/ca.key")), key);

    // Half a CA is a CA folder too: a stray ca.crt is not overwritten.
    fs::create_directories(path("half"));
    std::ofstream(path("half/ca.crt")) << "keep me";
    QVERIFY(!initCa(path("half"), "HOSTDOM"));
    QCOMPARE(readText(path("half/ca.crt")), std::string("keep me"));
    QVERIFY(!fs::exists(path("half/ca.key")));
}

void tst_Pki::issuedCertificatesVerifyAndCarryTheirRole_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("role");
    QTest::addColumn<QStringList>("hosts");
    QTest::newRow("service") << "HS1" << int(Role::Service)
                             << QStringList{"localhost", "127.0.0.1", "hs1.example.com", "::1"};
    QTest::newRow("viewer") << "eve.viewer" << int(Role::Viewer) << QStringList{};
    QTest::newRow("operator") << "olga@corp" << int(Role::Operator) << QStringList{};
    QTest::newRow("admin") << "root_admin" << int(Role::Admin) << QStringList{};
}

void tst_Pki::issuedCertificatesVerifyAndCarryTheirRole()
{
    QFETCH(QString, name);
    QFETCH(int, role);
    QFETCH(QStringList, hosts);
    makeCa("ca");
    std::vector<std::string> hostList;
    for (const QString &host : hosts)
        hostList.push_back(host.toStdString());
    const Issued issued = makeCert("ca", name.toStdString(), Role(role), hostList);

    QCOMPARE(issued.keyFile, path("certs/" + name.toStdString() + ".key"));
    QCOMPARE(issued.certFile, path("certs/" + name.toStdString() + ".crt"));
    QCOMPARE(modeOf(issued.keyFile), 0600u);
    QCOMPARE(modeOf(issued.certFile), 0644u);
    // Nothing else: no temporary file is left behind.
    QCOMPARE(std::distance(fs::directory_iterator(path("certs")), fs::directory_iterator()),
             std::ptrdiff_t{2});

    const std::string caPem = readText(path("ca/ca.crt"));
    const std::string certPem = readText(issued.certFile);
    const Result<Identity> verified = verify(caPem, certPem);
    QVERIFY2(verified, verified ? "" : verified.error().message.c_str());
    for (const Identity &identity : {*verified, issued.identity, *readIdentity(certPem)}) {
        QCOMPARE(q(identity.name), name);
        QCOMPARE(int(identity.role), role);
        QCOMPARE(identity.domain, std::string("HOSTDOM"));
        QCOMPARE(identity.hosts, hostList);
        QCOMPARE(identity.fingerprint.size(), std::size_t{32 * 3 - 1});
        // 128 random bits: 32 hex digits, fewer only if the leading ones happen to be 0.
        QVERIFY(identity.serial.size() >= 24 && identity.serial.size() <= 32);
        QVERIFY(identity.notAfter - nowMillis() > Millis{364} * 24 * 3600 * 1000);
        QVERIFY(identity.notBefore <= nowMillis());
    }
    for (const std::string &host : hostList) {
        const Result<Identity> asServer = verify(caPem, certPem, host);
        QVERIFY2(asServer, asServer ? "" : asServer.error().message.c_str());
    }

    // The key belongs to the certificate.
    const X509Ptr cert = loadCertificate(issued.certFile);
    const std::string keyPem = readText(issued.keyFile);
    std::unique_ptr<BIO, decltype(&BIO_free_all)> bio(
        BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size())), &BIO_free_all);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    QVERIFY(key);
    QCOMPARE(X509_check_private_key(cert.get(), key.get()), 1);
    QCOMPARE(X509_check_ca(cert.get()), 0);
}

void tst_Pki::extendedKeyUsageFollowsTheRole()
{
    makeCa("ca");
    const X509Ptr service = loadCertificate(makeCert("ca", "HS1", Role::Service, {"hs1"}).certFile);
    QCOMPARE(X509_get_extended_key_usage(service.get()),
             std::uint32_t{XKU_SSL_SERVER | XKU_SSL_CLIENT});
    QCOMPARE(X509_get_key_usage(service.get()), std::uint32_t{KU_DIGITAL_SIGNATURE});
    QVERIFY(isCritical(service.get(), NID_key_usage));
    QVERIFY(isCritical(service.get(), NID_basic_constraints));
    for (const Role role : {Role::Viewer, Role::Operator, Role::Admin}) {
        const std::string name(roleName(role));
        const X509Ptr cert = loadCertificate(makeCert("ca", name, role).certFile);
        QCOMPARE(X509_get_extended_key_usage(cert.get()), std::uint32_t{XKU_SSL_CLIENT});
    }
    // Two certificates never share a serial.
    QVERIFY(makeCert("ca", "a", Role::Viewer).identity.serial !=
            makeCert("ca", "b", Role::Viewer).identity.serial);
}

void tst_Pki::clientCertificateIsRefusedAsServer()
{
    makeCa("ca");
    const Issued admin = makeCert("ca", "ada", Role::Admin, {"localhost"});
    const Result<Identity> verified =
        verify(readText(path("ca/ca.crt")), readText(admin.certFile), "localhost");
    QVERIFY(!verified);
    QVERIFY2(verified.error().message.find("may not identify a server") != std::string::npos,
             verified.error().message.c_str());
}

void tst_Pki::certificateFromAnotherCaIsRefused_data()
{
    QTest::addColumn<QString>("otherDomain");
    QTest::addColumn<QString>("expected");
    QTest::newRow("other domain") << "ELSEWHERE"
                                  << "was issued by \"ELSEWHERE host security CA\", "
                                     "not by this domain's CA";
    // Same name, different key: only the signature tells them apart.
    QTest::newRow("same name") << "HOSTDOM"
                               << "is not signed by its key";
}

void tst_Pki::certificateFromAnotherCaIsRefused()
{
    QFETCH(QString, otherDomain);
    QFETCH(QString, expected);
    makeCa("ca");
    makeCa("other", otherDomain.toStdString());
    const Issued stranger = makeCert("other", "HS1", Role::Service, {"localhost"}, "stranger");
    const std::string caPem = readText(path("ca/ca.crt"));
    for (const std::string host : {"", "localhost"}) {
        const Result<Identity> verified = verify(caPem, readText(stranger.certFile), host);
        QVERIFY(!verified);
        QVERIFY2(q(verified.error().message).contains(expected), verified.error().message.c_str());
        QVERIFY2(q(verified.error().message).contains(QStringLiteral("certificate \"HS1\"")),
                 verified.error().message.c_str());
    }
}

void tst_Pki::hostnameMismatchIsRefused_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("other name") << "hs2.example.com";
    QTest::newRow("parent domain") << "example.com";
    QTest::newRow("sub domain") << "x.hs1.example.com";
    QTest::newRow("other IPv4") << "127.0.0.2";
    QTest::newRow("IPv6") << "::1";
}

void tst_Pki::hostnameMismatchIsRefused()
{
    QFETCH(QString, host);
    makeCa("ca");
    const Issued hs1 = makeCert("ca", "HS1", Role::Service, {"hs1.example.com", "127.0.0.1"});
    const Result<Identity> verified =
        verify(readText(path("ca/ca.crt")), readText(hs1.certFile), host.toStdString());
    QVERIFY(!verified);
    QCOMPARE(q(verified.error().message),
             QStringLiteral("certificate \"HS1\" is not valid for %1: it names hs1.example.com, "
                            "127.0.0.1 (OpenSSL: %2)")
                 .arg(host, host.contains(QLatin1Char(':')) || host.startsWith(QLatin1String("127"))
                                ? QStringLiteral("IP address mismatch")
                                : QStringLiteral("hostname mismatch")));
}

void tst_Pki::expiredAndNotYetValidAreRefused()
{
    makeCa("ca");
    const std::string caPem = readText(path("ca/ca.crt"));
    constexpr Millis Day = 24 * 3600 * 1000;

    IssueRequest old{
        .name = "old", .role = Role::Operator, .days = 1, .validFrom = nowMillis() - 3 * Day};
    const Result<Issued> expired = issue(path("ca"), old, path("certs"));
    QVERIFY2(expired, expired ? "" : expired.error().message.c_str());
    const Result<Identity> verified = verify(caPem, readText(expired->certFile));
    QVERIFY(!verified);
    const std::string expected = "certificate \"old\" expired on " +
                                 formatIsoTime(expired->identity.notAfter) +
                                 ": issue a new one (OpenSSL: certificate has expired)";
    QCOMPARE(verified.error().message, expected);
    // Reading the identity checks no date: the TLS layer has verified it by then.
    QVERIFY(readIdentity(readText(expired->certFile)));

    IssueRequest early{
        .name = "early", .role = Role::Operator, .days = 1, .validFrom = nowMillis() + 2 * Day};
    const Result<Issued> future = issue(path("ca"), early, path("certs"));
    QVERIFY(future);
    const Result<Identity> tooEarly = verify(caPem, readText(future->certFile));
    QVERIFY(!tooEarly);
    QVERIFY2(tooEarly.error().message.find("is not valid before") != std::string::npos,
             tooEarly.error().message.c_str());
}

void tst_Pki::certificateWithoutRoleIsRefused()
{
    // A certificate the CA signed by hand, with everything right but the role.
    makeCa("ca");
    const QString dir = q(path("ca").string());
    std::ofstream(path("ca/ext.cnf")) << "basicConstraints=critical,CA:FALSE\n"
                                         "keyUsage=critical,digitalSignature\n"
                                         "extendedKeyUsage=clientAuth\n"
                                         "subjectKeyIdentifier=hash\n"
                                         "authorityKeyIdentifier=keyid:always\n";
    Run run =
        openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", "norole.key", "-subj", "/O=HOSTDOM/CN=norole", "-out", "norole.csr"},
                dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    run =
        openssl({"x509", "-req", "-in", "norole.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-set_serial", "4242", "-days", "1", "-extfile", "ext.cnf", "-out", "norole.crt"},
                dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));

    const std::string certPem = readText(path("ca/norole.crt"));
    const std::string expected = "certificate \"norole\" carries no role (no OU in its "
                                 "subject): role missing; issue one with hostsecctl pki issue "
                                 "--role";
    const Result<Identity> verified = verify(readText(path("ca/ca.crt")), certPem);
    QVERIFY(!verified);
    QCOMPARE(verified.error().message, expected);
    QVERIFY(!readIdentity(certPem));
    QCOMPARE(readIdentity(certPem).error().message, expected);
}

void tst_Pki::badRequestsAreRefusedAndWriteNothing_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("role");
    QTest::addColumn<QStringList>("hosts");
    QTest::addColumn<int>("days");
    QTest::addColumn<int>("startInDays");
    QTest::addColumn<QString>("expected");
    const int service = int(Role::Service);
    const int viewer = int(Role::Viewer);
    QTest::newRow("empty name") << "" << viewer << QStringList{} << 30 << 0
                                << "certificate name \"\" is not valid";
    QTest::newRow("path in name") << "../evil" << viewer << QStringList{} << 30 << 0
                                  << "certificate name \"../evil\" is not valid";
    QTest::newRow("hidden name") << ".x" << viewer << QStringList{} << 30 << 0 << "is not valid";
    QTest::newRow("long name") << QString(65, QLatin1Char('a')) << viewer << QStringList{} << 30
                               << 0 << "1 to 64 letters";
    QTest::newRow("service without host")
        << "HS1" << service << QStringList{} << 30 << 0 << "role service needs the host names";
    QTest::newRow("injected SAN") << "HS1" << service << QStringList{"a,IP:0.0.0.0"} << 30 << 0
                                  << "host \"a,IP:0.0.0.0\" is neither";
    QTest::newRow("wildcard") << "HS1" << service << QStringList{"*.example.com"} << 30 << 0
                              << "no wildcards";
    QTest::newRow("zero days") << "v" << viewer << QStringList{} << 0 << 0 << "out of range";
    QTest::newRow("outlives CA") << "v" << viewer << QStringList{} << 3640 << 30
                                 << "would outlive the CA, which expires on";
}

void tst_Pki::badRequestsAreRefusedAndWriteNothing()
{
    QFETCH(QString, name);
    QFETCH(int, role);
    QFETCH(QStringList, hosts);
    QFETCH(int, days);
    QFETCH(int, startInDays);
    QFETCH(QString, expected);
    makeCa("ca");
    IssueRequest request{.name = name.toStdString(), .role = Role(role), .days = days};
    if (startInDays != 0)
        request.validFrom = nowMillis() + Millis{startInDays} * 24 * 3600 * 1000;
    for (const QString &host : hosts)
        request.hosts.push_back(host.toStdString());
    const Result<Issued> issued = issue(path("ca"), request, path("certs"));
    QVERIFY(!issued);
    QVERIFY2(q(issued.error().message).contains(expected), issued.error().message.c_str());
    QVERIFY(!fs::exists(path("certs")));
}

void tst_Pki::existingFilesAreNeverReplaced()
{
    makeCa("ca");
    const Issued first = makeCert("ca", "HS1", Role::Service, {"localhost"});
    const std::string key = readText(first.keyFile);
    const Result<Issued> again = issue(
        path("ca"), {.name = "HS1", .role = Role::Service, .hosts = {"localhost"}}, path("certs"));
    QVERIFY(!again);
    QCOMPARE(again.error().message, first.keyFile.string() +
                                        " already exists: refusing to replace it; choose another "
                                        "name or folder, or remove the old files first");
    QCOMPARE(readText(first.keyFile), key);

    // A certificate without its key is not replaced either, and no key is written beside it.
    fs::remove(first.keyFile);
    QVERIFY(!issue(path("ca"), {.name = "HS1", .role = Role::Service, .hosts = {"localhost"}},
                   path("certs")));
    QVERIFY(!fs::exists(first.keyFile));
}

void tst_Pki::caKeyReadableByOthersIsRefused()
{
    makeCa("ca");
    fs::permissions(path("ca/ca.key"), fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::add);
    const Result<Issued> issued =
        issue(path("ca"), {.name = "v", .role = Role::Viewer}, path("certs"));
    QVERIFY(!issued);
    QCOMPARE(issued.error().message, path("ca/ca.key").string() +
                                         " may be read by group or others (mode 0644): run "
                                         "chmod 600 " +
                                         path("ca/ca.key").string() + " and keep it private");

    const Result<Issued> noCa =
        issue(path("nowhere"), {.name = "v", .role = Role::Viewer}, path("certs"));
    QVERIFY(!noCa);
    QVERIFY2(noCa.error().message.find("holds no CA") != std::string::npos,
             noCa.error().message.c_str());
    QVERIFY(!fs::exists(path("certs")));
}

void tst_Pki::garbageGivesAnErrorNotACrash()
{
    makeCa("ca");
    const std::string caPem = readText(path("ca/ca.crt"));
    // OpenSSL's own reason comes with ours.
    const Result<Identity> notPem = readIdentity("not a certificate");
    QVERIFY(!notPem);
    QVERIFY2(q(notPem.error().message)
                 .startsWith(QStringLiteral("the certificate is not a PEM certificate: error:")),
             notPem.error().message.c_str());
    QVERIFY2(notPem.error().message.find("no start line") != std::string::npos,
             notPem.error().message.c_str());

    const Result<Identity> badCa = verify("junk", caPem);
    QVERIFY(!badCa);
    QVERIFY2(q(badCa.error().message).startsWith(QStringLiteral("the CA certificate is not")),
             badCa.error().message.c_str());

    std::string truncated = caPem.substr(0, caPem.size() / 2);
    QVERIFY(!readIdentity(truncated));
    QVERIFY(!verify(caPem, truncated));
    QVERIFY(!verify(caPem, std::string(100000, '\0')));

    // The CA itself is no one's identity.
    QVERIFY(!readIdentity(caPem));

    // A corrupt CA key is named with the file and OpenSSL's reason.
    const std::string key = readText(path("ca/ca.key"));
    fs::remove(path("ca/ca.key"));
    {
        std::ofstream out(path("ca/ca.key"));
        out << key.substr(0, 60) << "-----END PRIVATE KEY-----\n";
    }
    fs::permissions(path("ca/ca.key"), fs::perms::owner_read | fs::perms::owner_write);
    const Result<Issued> issued =
        issue(path("ca"), {.name = "v", .role = Role::Viewer}, path("certs"));
    QVERIFY(!issued);
    QVERIFY2(q(issued.error().message)
                 .startsWith(q(path("ca/ca.key").string() +
                               " is not an unencrypted PEM private key: error:")),
             issued.error().message.c_str());
}

void tst_Pki::opensslToolAcceptsTheCertificates()
{
    makeCa("ca");
    makeCa("other");
    const Issued hs1 = makeCert("ca", "HS1", Role::Service, {"hs1.example.com", "127.0.0.1"});
    const Issued olga = makeCert("ca", "olga", Role::Operator);
    const Issued stranger = makeCert("other", "HS1", Role::Service, {"localhost"}, "stranger");
    const QString dir = q(m_dir->path().toStdString());

    Run run = openssl({"verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname",
                       "hs1.example.com", "-CAfile", "ca/ca.crt", "certs/HS1.crt"},
                      dir);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.output.trimmed(), QStringLiteral("certs/HS1.crt: OK"));
    run = openssl({"verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", "ca/ca.crt",
                   "certs/HS1.crt", "certs/olga.crt"},
                  dir);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.output.trimmed(), QStringLiteral("certs/HS1.crt: OK\ncerts/olga.crt: OK"));

    // The tool refuses what verify() refuses.
    run = openssl({"verify", "-CAfile", "ca/ca.crt", "stranger/HS1.crt"}, dir);
    QVERIFY(run.exitCode != 0);
    run =
        openssl({"verify", "-purpose", "sslserver", "-CAfile", "ca/ca.crt", "certs/olga.crt"}, dir);
    QVERIFY(run.exitCode != 0);

    run = openssl({"x509", "-in", "certs/HS1.crt", "-noout", "-text", "-fingerprint", "-sha256"},
                  dir);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.output.contains(QStringLiteral("DNS:hs1.example.com, IP Address:127.0.0.1")),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(QStringLiteral("Subject: O = HOSTDOM, OU = service, CN = HS1")),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(QStringLiteral("Issuer: O = HOSTDOM, CN = HOSTDOM host "
                                                "security CA")),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(QStringLiteral("TLS Web Server Authentication, TLS Web Client "
                                                "Authentication")),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(QStringLiteral("ecdsa-with-SHA256")), qPrintable(run.output));
    QVERIFY2(
        run.output.contains(QStringLiteral("sha256 Fingerprint=") + q(hs1.identity.fingerprint)),
        qPrintable(run.output));

    run = openssl({"x509", "-in", "ca/ca.crt", "-noout", "-ext", "basicConstraints,keyUsage"}, dir);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.output.contains(QStringLiteral("X509v3 Basic Constraints: critical\n"
                                                "    CA:TRUE, pathlen:0")),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(QStringLiteral("X509v3 Key Usage: critical\n"
                                                "    Certificate Sign, CRL Sign")),
             qPrintable(run.output));

    run = openssl({"pkey", "-in", "certs/olga.key", "-check", "-noout"}, dir);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(!olga.identity.serial.empty());
}

void tst_Pki::mutualTlsHandshake_data()
{
    QTest::addColumn<QString>("serverCert");
    QTest::addColumn<QString>("clientCert");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<QString>("failingSide");

    QTest::newRow("both from the CA") << "certs/HS1"
                                      << "certs/olga"
                                      << "localhost" << true << "";
    QTest::newRow("by IP address") << "certs/HS1"
                                   << "certs/olga"
                                   << "127.0.0.1" << true << "";
    QTest::newRow("peer agent") << "certs/HS1"
                                << "certs/HS2"
                                << "localhost" << true << "";
    QTest::newRow("client from another CA") << "certs/HS1"
                                            << "stranger/olga"
                                            << "localhost" << false << "server";
    QTest::newRow("client without certificate") << "certs/HS1"
                                                << ""
                                                << "localhost" << false << "server";
    QTest::newRow("server from another CA") << "stranger/HS1"
                                            << "certs/olga"
                                            << "localhost" << false << "client";
    QTest::newRow("server not the host expected") << "certs/HS1"
                                                  << "certs/olga"
                                                  << "hs9.example.com" << false << "client";
    QTest::newRow("server with a client certificate") << "certs/ada"
                                                      << "certs/olga"
                                                      << "localhost" << false << "client";
}

void tst_Pki::mutualTlsHandshake()
{
    QFETCH(QString, serverCert);
    QFETCH(QString, clientCert);
    QFETCH(QString, host);
    QFETCH(bool, succeeds);
    QFETCH(QString, failingSide);

    makeCa("ca");
    makeCa("other");
    makeCert("ca", "HS1", Role::Service, {"localhost", "127.0.0.1"});
    makeCert("ca", "HS2", Role::Service, {"localhost"});
    makeCert("ca", "olga", Role::Operator);
    makeCert("ca", "ada", Role::Admin, {"localhost"});
    makeCert("other", "HS1", Role::Service, {"localhost"}, "stranger");
    makeCert("other", "olga", Role::Operator, {}, "stranger");

    const auto party = [this](const QString &base) {
        if (base.isEmpty())
            return Party{{}, {}, path("ca/ca.crt")};
        return Party{path(base.toStdString() + ".crt"), path(base.toStdString() + ".key"),
                     path("ca/ca.crt")};
    };
    const Exchange result = exchange(party(serverCert), party(clientCert), host.toStdString());

    if (succeeds) {
        QCOMPARE(q(result.serverError), QString());
        QCOMPARE(q(result.clientError), QString());
        QCOMPARE(q(result.received), QStringLiteral("hello"));
        QCOMPARE(result.version, TLS1_3_VERSION);
        // What the authorization step will use: the role, read from the peer certificate.
        const QString name = clientCert.section(QLatin1Char('/'), 1);
        QCOMPARE(q(result.peerName), name);
        QCOMPARE(q(result.peerRole), name == QLatin1String("HS2") ? QStringLiteral("service")
                                                                  : QStringLiteral("operator"));
        return;
    }
    QVERIFY(result.received.empty());
    QVERIFY2(!result.serverError.empty() && !result.clientError.empty(),
             qPrintable(q(result.serverError + " / " + result.clientError)));
    // The side that refused says why in its handshake error.
    const std::string &refusal =
        failingSide == QLatin1String("server") ? result.serverError : result.clientError;
    QVERIFY2(q(refusal).startsWith(QStringLiteral("handshake: ")),
             qPrintable(q(result.serverError + " / " + result.clientError)));
    QVERIFY2(q(refusal).contains(QStringLiteral("certificate")),
             qPrintable(q(result.serverError + " / " + result.clientError)));
}

QTEST_GUILESS_MAIN(tst_Pki)
#include "tst_pki.moc"
