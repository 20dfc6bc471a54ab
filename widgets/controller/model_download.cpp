#include "controller/model_download.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <exception>

#include "anatomy/model_registry.h"

namespace anatomy::widgets {

ModelDownload::ModelDownload(QObject* parent) : QObject(parent) {}

ModelDownload::~ModelDownload() {
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    discardPart();
}

bool ModelDownload::start(const QUrl& url, const QString& targetPath, const QString& expectedSha256) {
    if (m_reply) {
        Q_EMIT failed(tr("a download is already running (%1)").arg(m_target));
        return false;
    }
    m_target = targetPath;
    m_expected = expectedSha256.trimmed().toLower();
    m_cancelled = false;
    m_received = 0;
    QDir().mkpath(QFileInfo(targetPath).path());
    m_part = new QFile(targetPath + QStringLiteral(".part"), this);
    if (!m_part->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        const QString message = tr("cannot write %1: %2").arg(m_part->fileName(), m_part->errorString());
        delete m_part;
        m_part = nullptr;
        Q_EMIT failed(message);
        return false;
    }
    if (!m_net) m_net = new QNetworkAccessManager(this);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply* reply = m_net->get(request);
    m_reply = reply;
    // Progress counts what reached the .part file: QNetworkReply's own downloadProgress is
    // rate-limited and can stay silent when the data arrives in one burst and then stalls.
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (!m_part) return;
        m_received += m_part->write(reply->readAll());
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        Q_EMIT progressed(m_received, length.isValid() ? length.toLongLong() : -1);
    });
    connect(reply, &QNetworkReply::finished, this, &ModelDownload::onFinished);
    return true;
}

void ModelDownload::cancel() {
    if (!m_reply) return;
    m_cancelled = true;
    m_reply->abort();  // finished() follows, synchronously or from the event loop
}

void ModelDownload::discardPart() {
    if (!m_part) return;
    m_part->close();
    m_part->remove();
    delete m_part;
    m_part = nullptr;
}

void ModelDownload::onFinished() {
    QNetworkReply* reply = m_reply;
    if (!reply) return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_cancelled || reply->error() == QNetworkReply::OperationCanceledError) {
        discardPart();
        Q_EMIT cancelled();
        return;
    }
    if (reply->error() != QNetworkReply::NoError || (status != 0 && status != 200)) {
        discardPart();
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        Q_EMIT failed(status != 0 ? tr("download failed: HTTP %1 %2 from %3").arg(status).arg(reason, reply->url().toString())
                                  : tr("download failed: %1").arg(reply->errorString()));
        return;
    }
    m_part->write(reply->readAll());
    if (!m_part->flush()) {
        const QString message = tr("cannot write %1: %2").arg(m_part->fileName(), m_part->errorString());
        discardPart();
        Q_EMIT failed(message);
        return;
    }
    m_part->close();
    QString actual;
    try {
        actual = QString::fromStdString(anatomy::sha256File(m_part->fileName().toStdString()));
    } catch (const std::exception& e) {
        discardPart();
        Q_EMIT failed(tr("cannot read the download back: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    if (!m_expected.isEmpty() && actual != m_expected) {
        discardPart();
        Q_EMIT failed(tr("sha256 mismatch: the download has %1, the manifest says %2; the file was deleted")
                          .arg(actual, m_expected));
        return;
    }
    QFile::remove(m_target);
    if (!m_part->rename(m_target)) {
        const QString message = tr("cannot rename %1 to %2: %3").arg(m_part->fileName(), m_target, m_part->errorString());
        discardPart();
        Q_EMIT failed(message);
        return;
    }
    delete m_part;
    m_part = nullptr;
    Q_EMIT finished(m_target, actual);
}

}  // namespace anatomy::widgets
