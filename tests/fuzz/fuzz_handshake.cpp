// The binding handshake: the `bind` call a peer opens every binding with (read by the agent's
// RPC server: decodeBindParams, then acceptBind against what the server runs) and the answer
// to it (read by PeerBinding: decodeBindAnswer). The input is one RPC frame; when it is not a
// JSON-RPC message, its JSON is read both as bind params and as a bind answer, so the fuzzer
// need not find the envelope first. Checked: nothing throws; refusals carry the documented
// codes; a bind is accepted only for a service the server runs, under that service's interface
// UUID; and what is read, written again with our encoder, reads back the same.

#include "fuzztarget.h"

#include "model/domain.h"
#include "model/rpcstatus.h"
#include "protocol/bindhandshake.h"
#include "protocol/jsonrpc.h"

#include <array>

namespace hostsec::fuzz {

namespace {

using nlohmann::json;

bool same(const BindRequest &a, const BindRequest &b)
{
    return a.interfaceUuid == b.interfaceUuid && a.service == b.service &&
           a.clientServer == b.clientServer && a.clientService == b.clientService &&
           a.clientInstance == b.clientInstance;
}

bool same(const BindAnswer &a, const BindAnswer &b)
{
    return a.server == b.server && a.service == b.service && a.instance == b.instance;
}

// What a server of each kind in the demo domain runs.
const std::array<std::vector<Service>, 4> &servers()
{
    static const std::array<std::vector<Service>, 4> all = {
        std::vector<Service>{{ServiceKind::DomainAccountSync, CacheRole::None}},
        std::vector<Service>{{ServiceKind::HostAccountSync, CacheRole::Primary}},
        std::vector<Service>{{ServiceKind::HostAccountSync, CacheRole::Backup}},
        std::vector<Service>{{ServiceKind::Host, CacheRole::None}}};
    return all;
}

// The server side: what the agent's RPC server does with a bind call's params.
void serve(const json &params)
{
    const Result<BindRequest> request = decodeBindParams(params);
    if (!request) {
        check(request.error().code == static_cast<int>(rpc::BadStubData),
              "bind params refused with a code other than 0x6F7");
        check(!params.is_null(), "absent bind params refused");
        return;
    }
    const Result<BindRequest> again = decodeBindParams(bindParamsJson(*request));
    check(again.ok() && same(*request, *again), "bind params change when written and read again");

    for (const std::vector<Service> &served : servers()) {
        const Result<ServiceKind> kind = acceptBind(*request, served, "HS1");
        if (!kind) {
            check(kind.error().code == static_cast<int>(rpc::UnknownInterface),
                  "a bind refused with a code other than 0x6B5");
            continue;
        }
        bool runs = false;
        for (const Service &s : served)
            runs = runs || s.kind == *kind;
        check(runs, "a bind accepted for a service the server does not run");
        check(request->interfaceUuid == interfaceUuid(*kind),
              "a bind accepted under another service's interface: " + request->interfaceUuid);
        check(request->service == toString(*kind), "a bind accepted for another service's name");
    }
}

// The client side: what PeerBinding does with the result of its bind call.
void bind(const json &result)
{
    const Result<BindAnswer> answer = decodeBindAnswer(result);
    if (!answer) {
        check(answer.error().code == static_cast<int>(rpc::BadStubData),
              "a bind answer refused with a code other than 0x6F7");
        return;
    }
    check(result.is_object(), "a bind answer that is not an object was accepted");
    const Result<BindAnswer> again = decodeBindAnswer(bindAnswerJson(*answer));
    check(again.ok() && same(*answer, *again), "a bind answer changes when written and read again");
}

} // namespace

int bindHandshake(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input = text(data, size);
    const Result<RpcMessage> message = decodeRpcMessage(input, 1024 * 1024);
    if (!message) {
        const json value = json::parse(input.begin(), input.end(), nullptr, false);
        if (!value.is_discarded()) {
            serve(value);
            bind(value);
        }
        return 0;
    }
    if (message->kind == RpcMessageKind::Response) {
        if (message->response.ok())
            bind(message->response.result);
    } else if (message->request.method == "bind") {
        serve(message->request.params);
    }
    return 0;
}

} // namespace hostsec::fuzz

HOSTSEC_FUZZ_TARGET(hostsec::fuzz::bindHandshake)
