// The model manager's download path against a tiny HTTP/1.0 server on 127.0.0.1, run inside the
// test: a file whose sha256 matches the manifest entry lands verified, a file with the wrong
// sha256 is rejected and deleted, a 404 is an HTTP error, and a cancelled download leaves nothing.
#include <catch2/catch.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QNetworkProxy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>
#include <map>

#include "anatomy/model_registry.h"
#include "controller/model_download.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

// Answers GET requests with fixed responses. Bounded: it accepts at most maxConnections and
// stops listening after that, and it closes everything after lifetimeMs.
class TinyHttpServer : public QObject {
public:
    struct Route {
        int status = 200;
        QByteArray body;
        bool stall = false;  // send a quarter of the body, then nothing more (for cancel)
    };

    TinyHttpServer(std::map<QByteArray, Route> routes, int maxConnections, int lifetimeMs = 20000)
        : m_routes(std::move(routes)), m_left(maxConnections) {
        connect(&m_server, &QTcpServer::newConnection, this, &TinyHttpServer::accept);
        QTimer::singleShot(lifetimeMs, this, &TinyHttpServer::stop);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }  // loopback only
    QUrl url(const QString& path) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    int served() const { return m_served; }

private:
    void accept() {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            s->setParent(this);
            ++m_served;
            if (--m_left <= 0) m_server.close();
            connect(s, &QTcpSocket::readyRead, this, [this, s] { answer(s); });
        }
    }
    void answer(QTcpSocket* s) {
        QByteArray& request = m_requests[s];
        request += s->readAll();
        if (!request.contains("\r\n\r\n")) return;
        const QList<QByteArray> first = request.left(request.indexOf("\r\n")).split(' ');
        const QByteArray path = first.size() >= 2 ? first[1] : QByteArray();
        const auto it = m_routes.find(path);
        const Route route = it != m_routes.end() ? it->second : Route{404, "not here\n"};
        const QByteArray reason = route.status == 200 ? "OK" : route.status == 404 ? "Not Found" : "Error";
        s->write("HTTP/1.0 " + QByteArray::number(route.status) + ' ' + reason + "\r\nContent-Type: application/octet-stream\r\n" +
                 "Content-Length: " + QByteArray::number(route.body.size()) + "\r\nConnection: close\r\n\r\n");
        if (route.stall) {
            s->write(route.body.left(route.body.size() / 4));
            s->flush();
            return;  // the connection stays open with the rest never sent
        }
        s->write(route.body);
        s->disconnectFromHost();
    }
    void stop() {
        m_server.close();
        for (QTcpSocket* s : findChildren<QTcpSocket*>()) s->abort();
    }

    QTcpServer m_server;
    std::map<QByteArray, Route> m_routes;
    QHash<QTcpSocket*, QByteArray> m_requests;
    int m_left;
    int m_served = 0;
};

// What a download ended with.
struct Outcome {
    enum Kind { None, Finished, Failed, Cancelled } kind = None;
    QString message;  // the path for Finished, the error for Failed
    QString sha256;
};

// Runs the event loop until the download ends or timeoutMs pass; onProgress sees each step.
Outcome runDownload(ModelDownload& d, const std::function<void(qint64)>& onProgress = {}, int timeoutMs = 15000) {
    Outcome out;
    QObject ctx;
    QObject::connect(&d, &ModelDownload::finished, &ctx, [&](const QString& path, const QString& sha) {
        out = {Outcome::Finished, path, sha};
    });
    QObject::connect(&d, &ModelDownload::failed, &ctx, [&](const QString& m) { out = {Outcome::Failed, m, {}}; });
    QObject::connect(&d, &ModelDownload::cancelled, &ctx, [&] { out.kind = Outcome::Cancelled; });
    if (onProgress) QObject::connect(&d, &ModelDownload::progressed, &ctx, [&](qint64 got, qint64) { onProgress(got); });
    QElapsedTimer t;
    t.start();
    while (out.kind == Outcome::None && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return out;
}

QByteArray fakeModelBytes(int n) {
    QByteArray b(n, '\0');
    for (int i = 0; i < n; ++i) b[i] = static_cast<char>((i * 131 + 7) & 0xff);
    return b;
}

}  // namespace

TEST_CASE("model download: verified file, sha256 mismatch, HTTP 404 and cancel, from a loopback server", "[download]") {
    widgetTestApp();
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);  // loopback: never via an http_proxy
    const QByteArray good = fakeModelBytes(40000);
    const QByteArray tampered = fakeModelBytes(40000).replace(100, 1, "X");
    const QByteArray big = fakeModelBytes(256 << 10);
    TinyHttpServer server({{"/tiny.bin", {200, good, false}},
                           {"/tampered.bin", {200, tampered, false}},
                           {"/big.bin", {200, big, true}}},
                          /*maxConnections=*/6);
    REQUIRE(server.listen());
    QTemporaryDir dir;
    REQUIRE(dir.isValid());

    // A manifest entry like samples/models.json's, pointing at the loopback server.
    anatomy::KnownModel entry;
    entry.name = "tiny";
    entry.file = "tiny.bin";
    entry.url = server.url(QStringLiteral("/tiny.bin")).toString().toStdString();
    entry.size = good.size();
    entry.sha256 = anatomy::sha256Bytes(good.constData(), static_cast<size_t>(good.size()));
    const QString expectedSha = QString::fromStdString(entry.sha256);

    SECTION("matching sha256: the file is in place and verified") {
        const QString target = dir.filePath(QString::fromStdString(entry.file));
        ModelDownload d;
        REQUIRE(d.start(QUrl(QString::fromStdString(entry.url)), target, expectedSha));
        const Outcome out = runDownload(d);
        INFO(out.message.toStdString());
        REQUIRE(out.kind == Outcome::Finished);
        CHECK(out.message == target);
        CHECK(out.sha256 == expectedSha);
        QFile f(target);
        REQUIRE(f.open(QIODevice::ReadOnly));
        CHECK(f.readAll() == good);
        CHECK_FALSE(QFile::exists(target + QStringLiteral(".part")));
    }
    SECTION("wrong sha256: a clear mismatch error and no file left") {
        const QString target = dir.filePath(QStringLiteral("tampered.bin"));
        ModelDownload d;
        REQUIRE(d.start(server.url(QStringLiteral("/tampered.bin")), target, expectedSha));
        const Outcome out = runDownload(d);
        INFO(out.message.toStdString());
        REQUIRE(out.kind == Outcome::Failed);
        CHECK(out.message.contains(QStringLiteral("sha256 mismatch")));
        CHECK(out.message.contains(expectedSha));
        CHECK_FALSE(QFile::exists(target));
        CHECK_FALSE(QFile::exists(target + QStringLiteral(".part")));
    }
    SECTION("404: an HTTP error and no file") {
        const QString target = dir.filePath(QStringLiteral("missing.bin"));
        ModelDownload d;
        REQUIRE(d.start(server.url(QStringLiteral("/missing.bin")), target, expectedSha));
        const Outcome out = runDownload(d);
        INFO(out.message.toStdString());
        REQUIRE(out.kind == Outcome::Failed);
        CHECK(out.message.contains(QStringLiteral("HTTP 404")));
        CHECK_FALSE(QFile::exists(target));
        CHECK_FALSE(QFile::exists(target + QStringLiteral(".part")));
    }
    SECTION("cancel mid-download: cancelled, not failed, and no partial file") {
        const QString target = dir.filePath(QStringLiteral("big.bin"));
        ModelDownload d;
        REQUIRE(d.start(server.url(QStringLiteral("/big.bin")), target, expectedSha));
        qint64 seen = 0;
        bool partExisted = false;
        const Outcome out = runDownload(d, [&](qint64 got) {
            if (got <= 0 || seen > 0) return;
            seen = got;
            partExisted = QFile::exists(target + QStringLiteral(".part"));
            d.cancel();
        });
        INFO("bytes seen before cancel: " << seen << "; " << out.message.toStdString());
        CHECK(seen > 0);
        CHECK(seen < big.size());
        CHECK(partExisted);
        CHECK(out.kind == Outcome::Cancelled);
        CHECK_FALSE(d.isRunning());
        CHECK_FALSE(QFile::exists(target));
        CHECK_FALSE(QFile::exists(target + QStringLiteral(".part")));
    }
    CHECK(server.served() <= 1);  // each section made one request (sections run one at a time)
}
