#pragma once
// The models the project knows (samples/models.json): where each one is, whether its sha256
// matches the manifest, and for a missing one a download from its public URL, with progress,
// cancel and a checksum check before the file takes its final name.
#include <QDialog>
#include <QPointer>

class QLabel;
class QProgressDialog;
class QPushButton;
class QTableWidget;

namespace anatomy::widgets {

class ModelDownload;

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
    void endDownload(const QString& message);
    int currentRow() const;
    QString targetPathFor(int row) const;

    QTableWidget* m_table = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_verify = nullptr;
    QPushButton* m_download = nullptr;
    ModelDownload* m_fetch = nullptr;  // the running download, if any
    QPointer<QProgressDialog> m_progress;
    std::vector<QString> m_paths;   // [rows] resolved path, empty when missing
    std::vector<QString> m_states;  // [rows]
};

}  // namespace anatomy::widgets
