#include "anatomy/open_model.h"

#include "anatomy/error.h"

namespace anatomy {

OpenedModel openModelWithTokenizer(const std::string& nameOrPath, const std::string& tokenizerPath) {
    const std::string name = nameOrPath.empty() ? std::string(kDefaultModelName) : nameOrPath;
    OpenedModel o;
    ModelFileFacts facts;
    try {
        o.model = openModel(name, &facts);  // resolve, verify, load, correct the context
    } catch (const Error& e) {
        if (!nameOrPath.empty()) throw;
        throw Error(std::string("the default model: ") + e.what() +
                    "; set ANATOMY_MODELS to its folder or give a model");
    }
    std::string chosen;
    o.tokenizer = std::make_shared<const Tokenizer>(openTokenizer(*o.model, tokenizerPath, &chosen));
    o.path = facts.path;
    o.tokenizerPath = chosen;
    if (facts.manifest) o.manifest = *facts.manifest;
    o.fileContext = facts.fileContext;
    return o;
}

}  // namespace anatomy
