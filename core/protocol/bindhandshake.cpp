#include "protocol/bindhandshake.h"

#include "model/rpcstatus.h"

#include <string_view>
#include <utility>

namespace hostsec {

namespace {

using json = nlohmann::json;

Error badStubData(std::string message)
{
    return Error{static_cast<int>(rpc::BadStubData), std::move(message)};
}

// Reads object[key] into out: "" when it is missing, false when it is not a string.
bool readString(const json &object, const char *key, std::string &out)
{
    const auto it = object.find(key);
    if (it == object.end())
        return true;
    if (!it->is_string())
        return false;
    out = it->get<std::string>();
    return true;
}

Error notAString(std::string_view what, const char *key, const json &object)
{
    std::string message(what);
    message += ": \"";
    message += key;
    message += "\" must be a string, got ";
    message += object.at(key).type_name();
    return badStubData(std::move(message));
}

} // namespace

json bindParamsJson(const BindRequest &request)
{
    return json{{"interface", request.interfaceUuid},
                {"service", request.service},
                {"client_server", request.clientServer},
                {"client_service", request.clientService},
                {"client_instance", request.clientInstance}};
}

Result<BindRequest> decodeBindParams(const json &params)
{
    BindRequest request;
    if (params.is_null())
        return request;
    if (!params.is_object())
        return badStubData(std::string("bind: params must be an object, got ") +
                           params.type_name());
    const std::pair<const char *, std::string *> fields[] = {
        {"interface", &request.interfaceUuid},
        {"service", &request.service},
        {"client_server", &request.clientServer},
        {"client_service", &request.clientService},
        {"client_instance", &request.clientInstance}};
    for (const auto &[key, out] : fields) {
        if (!readString(params, key, *out))
            return notAString("bind", key, params);
    }
    return request;
}

Result<ServiceKind> acceptBind(const BindRequest &request, const std::vector<Service> &served,
                               const std::string &serverName)
{
    const auto kind = serviceKindFromString(request.service);
    bool runs = false;
    for (const Service &s : served)
        runs = runs || (kind && s.kind == *kind);
    if (!kind || !runs || request.interfaceUuid != interfaceUuid(*kind))
        return Error{static_cast<int>(rpc::UnknownInterface),
                     "interface " + request.interfaceUuid + " (" + request.service +
                         ") is not served by " + serverName};
    return *kind;
}

json bindAnswerJson(const BindAnswer &answer)
{
    return json{
        {"server", answer.server}, {"service", answer.service}, {"instance", answer.instance}};
}

Result<BindAnswer> decodeBindAnswer(const json &result)
{
    if (!result.is_object())
        return badStubData(std::string("bind answer: expected an object, got ") +
                           result.type_name());
    BindAnswer answer;
    const std::pair<const char *, std::string *> fields[] = {
        {"server", &answer.server}, {"service", &answer.service}, {"instance", &answer.instance}};
    for (const auto &[key, out] : fields) {
        if (!readString(result, key, *out))
            return notAString("bind answer", key, result);
    }
    return answer;
}

} // namespace hostsec
