#pragma once

#include "events/event.h"

#include <string>
#include <string_view>
#include <vector>

namespace hostsec {

/// Event ids. 630 and 401 keep the numbers and wording of the Q216558 article.
namespace ev {
inline constexpr int AgentStarted = 100;
inline constexpr int AgentStopping = 101;
inline constexpr int ConfigurationProblem = 102;
inline constexpr int TlsReloaded = 103;
inline constexpr int SsoFailed = 401;
inline constexpr int SsoServedByBackup = 402;
inline constexpr int RpcLayerError = 630;
inline constexpr int BindingBound = 600;
inline constexpr int BindingStale = 601;
inline constexpr int RebindStarted = 602;
inline constexpr int RebindSucceeded = 603;
inline constexpr int RebindFailed = 604;
inline constexpr int BindingFailed = 605;
inline constexpr int PeerUnresponsive = 606;
inline constexpr int BindingAwaitsOperator = 607;
inline constexpr int PeerRestarted = 610;
inline constexpr int ChangeQueued = 700;
inline constexpr int ChangeForwarded = 701;
inline constexpr int ChangeApplied = 702;
inline constexpr int ChangeRejected = 703;
inline constexpr int ChangeDeliveryFailed = 704;
inline constexpr int ChangeDuplicate = 705;
inline constexpr int HostInitiatedChange = 706;
inline constexpr int CacheUpdated = 707;
inline constexpr int ResyncStarted = 708;
inline constexpr int ResyncFinished = 709;
inline constexpr int DomainAccountUpdated = 710;
inline constexpr int ChangeRefused = 711;
inline constexpr int OperatorAction = 900;
inline constexpr int OperatorRefused = 901;
} // namespace ev

/// One event kind: its id, severity, source, symbolic name and message template (%1..%n).
struct CatalogueEntry
{
    int id;
    Severity severity;
    std::string_view source;
    std::string_view symbol;
    std::string_view messageTemplate; // marked for translation (context "hostsec::Event")
    std::string_view explanation;     // what it means and what to do
};

/// Every event the product raises, ordered by id.
const std::vector<CatalogueEntry> &eventCatalogue();

/// The catalogue entry for an id, or nullptr.
const CatalogueEntry *catalogueEntry(int id);

/// Fills %1..%n in `messageTemplate` from `params`; "%%" is a literal percent sign; a
/// placeholder without a parameter is left as it stands. Never reads past `params`.
std::string formatMessage(std::string_view messageTemplate, const std::vector<std::string> &params);

/// An event of catalogue kind `id`, with its severity, source and message filled in.
/// An unknown id still makes an event (severity error, source "agent") whose message says so.
Event makeEvent(int id, std::string server, std::vector<std::string> params, Millis time);

} // namespace hostsec
