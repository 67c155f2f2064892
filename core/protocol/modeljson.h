#pragma once

// JSON for the model types (nlohmann-json's to_json/from_json, found by ADL), with snake_case
// keys. The same shapes travel on the admin API, the peer protocol and `hostsecctl --json`, so
// the keys are a contract: add keys, never rename or drop one.
//
// from_json requires every key to_json writes and ignores keys it does not know (a newer peer
// may add some). Derived keys (a status's hex/name/text, a server's role) are not read back.
// A wrong or missing key throws std::invalid_argument whose message names it by path, e.g.
// `binding.timeline[2].status.code: expected an unsigned 32-bit number, got string`.

#include "model/domain.h"

#include <nlohmann/json.hpp>

namespace hostsec {

/// {code, hex, name, text} for an RPC status, e.g. {1726, "0x6BE", "RPC_S_CALL_FAILED", "..."}.
nlohmann::json rpcStatusJson(std::uint32_t code);

/// formatIsoTime(t) as a JSON string, or null when t is 0 (never).
nlohmann::json isoTimeJson(Millis t);

/// Enums travel as their toString text ("host-account-sync", "bound", ...).
void to_json(nlohmann::json &j, ServiceKind value);
/// Reads a ServiceKind from its text.
void from_json(const nlohmann::json &j, ServiceKind &value);
/// CacheRole as its text.
void to_json(nlohmann::json &j, CacheRole value);
/// Reads a CacheRole from its text.
void from_json(const nlohmann::json &j, CacheRole &value);
/// ServerRole as its text (written only: a role is derived from a server's services).
void to_json(nlohmann::json &j, ServerRole value);
/// BindingState as its text.
void to_json(nlohmann::json &j, BindingState value);
/// Reads a BindingState from its text.
void from_json(const nlohmann::json &j, BindingState &value);
/// RebindPolicy as its text.
void to_json(nlohmann::json &j, RebindPolicy value);
/// Reads a RebindPolicy from its text.
void from_json(const nlohmann::json &j, RebindPolicy &value);
/// SyncState as its text.
void to_json(nlohmann::json &j, SyncState value);
/// Reads a SyncState from its text.
void from_json(const nlohmann::json &j, SyncState &value);

/// {kind, cache_role}.
void to_json(nlohmann::json &j, const Service &service);
/// Reads a Service; throws std::invalid_argument naming the wrong key.
void from_json(const nlohmann::json &j, Service &service);

/// {name, address, services, role, instance_id, started_at, version}.
void to_json(nlohmann::json &j, const Server &server);
/// Reads a Server; throws std::invalid_argument naming the wrong key.
void from_json(const nlohmann::json &j, Server &server);

/// {time, from, to, status, reason}.
void to_json(nlohmann::json &j, const BindingTransition &transition);
/// Reads a BindingTransition; throws std::invalid_argument naming the wrong key.
void from_json(const nlohmann::json &j, BindingTransition &transition);

/// The binding row of the CLI contract: id, from_server, from_service, to_server, to_service,
/// interface, protseq, endpoint, state, policy, last_error, last_success, last_failure,
/// consecutive_failures, peer_instance, timeline.
void to_json(nlohmann::json &j, const Binding &binding);
/// Reads a Binding (a timeline longer than Binding::TimelineLimit keeps its newest entries);
/// throws std::invalid_argument naming the wrong key.
void from_json(const nlohmann::json &j, Binding &binding);

/// {domain_account, host_account, host_domain, sync_state, last_change, last_status}.
void to_json(nlohmann::json &j, const UserMapping &mapping);
/// Reads a UserMapping; throws std::invalid_argument naming the wrong key.
void from_json(const nlohmann::json &j, UserMapping &mapping);

/// {name, host_domain, servers, bindings}.
void to_json(nlohmann::json &j, const Domain &domain);
/// Reads a Domain; throws std::invalid_argument naming the wrong key.
void from_json(const nlohmann::json &j, Domain &domain);

} // namespace hostsec
