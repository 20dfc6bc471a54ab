#pragma once
// One model download: GET url into "<target>.part", then the sha256 of what arrived is compared
// with the manifest's before the file takes its final name. A failed, rejected or cancelled
// download leaves neither the target nor the .part file behind. Cancel is not a failure: it has
// its own signal.
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QFile;
class QNetworkAccessManager;


namespace anatomy::widgets {

class ModelDownload : public QObject {
    Q_OBJECT
public:
    explicit ModelDownload(QObject* parent = nullptr);
    ~ModelDownload() override;  // aborts a running download and removes its .part file

    // Starts the download; false (and failed() emitted) when the .part file cannot be opened or
    // one is already running. expectedSha256 is lowercase hex; empty skips the check.
    bool start(const QUrl& url, const QString& targetPath, const QString& expectedSha256);
    // Stops a running download; cancelled() follows, and the .part file is gone.
    void cancel();
    bool isRunning() const { return m_reply != nullptr; }
    QString targetPath() const { return m_target; }

Q_SIGNALS:
    void progressed(qint64 received, qint64 total);  // total -1 when the server did not say
    void finished(const QString& path, const QString& sha256);  // verified and in place
    void failed(const QString& message);  // one line a person can act on
    void cancelled();

private:
    void onFinished();
    void discardPart();

    QNetworkAccessManager* m_net = nullptr;
    QPointer<QNetworkReply> m_reply;
    QFile* m_part = nullptr;
    QString m_target;
    QString m_expected;
    qint64 m_received = 0;  // bytes written to the .part file
    bool m_cancelled = false;
};

}  // namespace anatomy::widgets
