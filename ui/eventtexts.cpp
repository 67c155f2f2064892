// The texts core shows to users, marked for lupdate in the "hostsec::Event" context where
// Format looks them up at display time: the event catalogue's message templates and
// explanations (core/events/catalogue.cpp) and the RPC status texts (core/model/rpcstatus.cpp).
// core marks its catalogue through a local macro lupdate cannot see through, so the texts are
// listed here once more; tst_translations fails when core's texts and this list drift apart.

#include <QtGlobal>

namespace hostsec::ui {

namespace {

[[maybe_unused]] constexpr const char *EventTexts[] = {
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Host security agent %1 started with services %2 (instance %3)."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The agent process started. A new instance id means every binding other "
                      "servers hold to this one must be rebound."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Host security agent %1 is stopping (instance %2)."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The agent was asked to stop; pending password changes stay in its outbox."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Configuration problem in %1: %2"),
    QT_TRANSLATE_NOOP("hostsec::Event", "Correct the configuration file and restart the agent."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Host security agent %1 read its TLS files again and presents certificate "
                      "%2 (valid until %3) from now on."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The agent was sent SIGHUP. New connections use the renewed certificate and "
                      "CA; connections already open keep theirs until they close."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Single Sign-On request for %1\\%2 failed - failed to communicate with the "
                      "host account cache for host domain %3"),
    QT_TRANSLATE_NOOP(
        "hostsec::Event",
        "No host account cache (primary or backup) answered. If a host security server "
        "was recycled, its bindings are stale: force a rebind (Q216558)."),
    QT_TRANSLATE_NOOP(
        "hostsec::Event",
        "Single Sign-On request for %1\\%2 was answered by backup cache %3 because the "
        "primary %4 could not be reached."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "SSO still works, but the primary host account cache is unreachable."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Binding %1 is bound to %2 instance %3."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Calls on this binding reach the peer service."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Binding %1 is stale: %2."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The peer went away or was recycled; calls on this binding fail until it is "
                      "rebound (Q216558)."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Rebind of %1 started: %2."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The binding is being re-established."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Rebind of %1 succeeded: bound to instance %2 after %3 ms."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The binding works again; queued password changes are delivered now."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Rebind of %1 failed with error 0x%2 (%3); next attempt in %4 ms."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The peer could not be reached; the agent keeps trying with backoff."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Binding %1 failed with error 0x%2 (%3)."),
    QT_TRANSLATE_NOOP(
        "hostsec::Event",
        "Calls on this binding fail. Check that the peer agent runs and is reachable."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Peer %1 stopped answering heartbeats on binding %2."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The peer process is hung or the network drops its packets."),
    QT_TRANSLATE_NOOP(
        "hostsec::Event",
        "Binding %1 is stale and its rebind policy is manual: it stays stale until an "
        "operator rebinds it."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "This is the behaviour before the Q216558 fix. Force a rebind, or set the "
                      "binding's policy to auto."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Peer %1 announced a new instance %2."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The peer was recycled; bindings to it must be rebound."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "RPC Layer returned error 0x%1 (%2) talking to %3. This may happen if host "
                      "security is not installed or the user account the service is running under, "
                      "is not privileged to send messages to the remote end."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Password changes are not reaching the host account sync service. A 0x6BE or "
                      "0x6BA after a server was recycled means a stale binding: force a rebind "
                      "(Q216558). 0x5 means the peer refused the caller: check its role."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Password change %1 for %2 queued for %3."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The change is stored durably and waits for the peer to confirm it."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Password change %1 for %2 forwarded to %3."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The peer confirmed the change; it left the outbox."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Password change %1 for %2 applied to host account %3."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The host accepted the new password."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Password change %1 for %2 rejected by host policy: %3"),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The host's password rules refused the change; it will not be retried. The "
                      "user must choose another password."),
    QT_TRANSLATE_NOOP(
        "hostsec::Event",
        "Delivery of password change %1 to %2 failed with error 0x%3 (%4); attempt %5, "
        "will retry."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The change stays in the outbox and is retried when the binding works."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Password change %1 from %2 was already applied; the duplicate was ignored."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "A redelivery after a lost acknowledgement; nothing was applied twice."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Host-initiated password change %1 for host account %2."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The password was changed on the host; it is sent to the domain side."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Host account cache entry for %1 updated by change %2."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "SSO look-ups for this user now return the new credential."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Resync %1 of %2 users started by %3."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Each user's mapping and credential is sent again to the caches."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Resync %1 finished: %2 users done, %3 failed, %4."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The resync job ended."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Domain account %1 password updated by host-initiated change %2."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "A password changed on the host now applies on the domain side too."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Password change for %1 refused: %2"),
    QT_TRANSLATE_NOOP(
        "hostsec::Event",
        "The change was not stored and not acknowledged; the caller must retry. Check "
        "the agent's disk and database."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Operator %1 performed %2 on %3: %4."),
    QT_TRANSLATE_NOOP("hostsec::Event", "An administrative action, recorded for audit."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Operator %1 was refused %2 on %3: %4."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "The caller's role does not allow the action; nothing was changed."),
};

[[maybe_unused]] constexpr const char *RpcStatusTexts[] = {
    QT_TRANSLATE_NOOP("hostsec::Event", "The operation completed successfully."),
    QT_TRANSLATE_NOOP("hostsec::Event", "Access is denied."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The parameter is incorrect."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The specified account does not exist."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "Unable to update the password. The value provided for the new password "
                      "does not meet the length, complexity, or history requirements of the "
                      "domain."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The user name or password is incorrect."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "This operation returned because the timeout period expired."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The binding handle is invalid."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The interface is unknown."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The RPC server is unavailable."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The RPC server is too busy to complete this operation."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The remote procedure call failed."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The remote procedure call failed and did not execute."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The procedure number is out of range."),
    QT_TRANSLATE_NOOP("hostsec::Event",
                      "There are no more endpoints available from the endpoint mapper."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The stub received bad data."),
    QT_TRANSLATE_NOOP("hostsec::Event", "The remote procedure call was cancelled."),
};

} // namespace

} // namespace hostsec::ui
