#pragma once
// The models the project knows (samples/models.json): where each one is, whether its sha256
// matches the manifest, and for a missing one a download from its public URL, with progress,
// cancel and a checksum check before the file takes its final name.
#include <QDialog>
#include <QPointer>

class QLabel;
class QNetworkAccessManager;
class QNetworkReply;
class QProgressDialog;
class QPushButton;
class QTableWidget;
class QFile;

namespace anatomy::widgets {

class ModelManagerDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelManagerDialog(QWidget* parent = nullptr);
    ~ModelManagerDialog() override;

    // Re-reads where each model is (cheap: no checksums).
    void refresh();
    // State text of row i ("found", "verified", "missing", "sha256 mismatch").
    QString stateText(int row) const;

Q_SIGNALS:
    // The user asked to open a model (tokenizer empty: embedded or found beside it).
    void modelChosen(const QString& modelPath, const QString& tokenizerPath);

private:
    void onSelectionChanged();
    void onOpen();
    void onVerify();
    void onDownload();
    void onBrowse();
    void finishDownload(QNetworkReply* reply, int row);
    int currentRow() const;
    QString targetPathFor(int row) const;

    QTableWidget* m_table = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_verify = nullptr;
    QPushButton* m_download = nullptr;
    QNetworkAccessManager* m_net = nullptr;
    QPointer<QNetworkReply> m_reply;
    QPointer<QProgressDialog> m_progress;
    QFile* m_part = nullptr;
    std::vector<QString> m_paths;   // [rows] resolved path, empty when missing
    std::vector<QString> m_states;  // [rows]
};

}  // namespace anatomy::widgets
