<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>hostsec::Event</name>
    <message>
        <source>The operation completed successfully.</source>
        <translation>Der Vorgang wurde erfolgreich beendet.</translation>
    </message>
    <message>
        <source>Access is denied.</source>
        <translation>Zugriff verweigert.</translation>
    </message>
    <message>
        <source>The parameter is incorrect.</source>
        <translation>Falscher Parameter.</translation>
    </message>
    <message>
        <source>The specified account does not exist.</source>
        <translation>Das angegebene Konto ist nicht vorhanden.</translation>
    </message>
    <message>
        <source>Unable to update the password. The value provided for the new password does not meet the length, complexity, or history requirements of the domain.</source>
        <translation>Das Kennwort kann nicht aktualisiert werden. Der für das neue Kennwort angegebene Wert entspricht nicht den Anforderungen der Domäne an Länge, Komplexität oder Chronik.</translation>
    </message>
    <message>
        <source>The user name or password is incorrect.</source>
        <translation>Der Benutzername oder das Kennwort ist falsch.</translation>
    </message>
    <message>
        <source>This operation returned because the timeout period expired.</source>
        <translation>Der Vorgang wurde wegen Ablauf des Zeitlimits abgebrochen.</translation>
    </message>
    <message>
        <source>The binding handle is invalid.</source>
        <translation>Das Bindungshandle ist ungültig.</translation>
    </message>
    <message>
        <source>The interface is unknown.</source>
        <translation>Die Schnittstelle ist unbekannt.</translation>
    </message>
    <message>
        <source>The RPC server is unavailable.</source>
        <translation>Der RPC-Server ist nicht verfügbar.</translation>
    </message>
    <message>
        <source>The RPC server is too busy to complete this operation.</source>
        <translation>Der RPC-Server ist zu ausgelastet, um den Vorgang abzuschließen.</translation>
    </message>
    <message>
        <source>The remote procedure call failed.</source>
        <translation>Der Remoteprozeduraufruf ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The remote procedure call failed and did not execute.</source>
        <translation>Der Remoteprozeduraufruf ist fehlgeschlagen und wurde nicht ausgeführt.</translation>
    </message>
    <message>
        <source>The procedure number is out of range.</source>
        <translation>Die Prozedurnummer liegt außerhalb des gültigen Bereichs.</translation>
    </message>
    <message>
        <source>There are no more endpoints available from the endpoint mapper.</source>
        <translation>Von der Endpunktzuordnung sind keine weiteren Endpunkte verfügbar.</translation>
    </message>
    <message>
        <source>The stub received bad data.</source>
        <translation>Der Stub hat ungültige Daten empfangen.</translation>
    </message>
    <message>
        <source>The remote procedure call was cancelled.</source>
        <translation>Der Remoteprozeduraufruf wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Host security agent %1 started with services %2 (instance %3).</source>
        <translation>Host-Security-Agent %1 wurde mit den Diensten %2 gestartet (Instanz %3).</translation>
    </message>
    <message>
        <source>The agent process started. A new instance id means every binding other servers hold to this one must be rebound.</source>
        <translation>Der Agentprozess wurde gestartet. Eine neue Instanz-ID bedeutet, dass jede Bindung, die andere Server zu diesem halten, neu gebunden werden muss.</translation>
    </message>
    <message>
        <source>Host security agent %1 is stopping (instance %2).</source>
        <translation>Host-Security-Agent %1 wird beendet (Instanz %2).</translation>
    </message>
    <message>
        <source>The agent was asked to stop; pending password changes stay in its outbox.</source>
        <translation>Der Agent wurde zum Beenden aufgefordert; ausstehende Kennwortänderungen bleiben in seinem Postausgang.</translation>
    </message>
    <message>
        <source>Configuration problem in %1: %2</source>
        <translation>Konfigurationsproblem in %1: %2</translation>
    </message>
    <message>
        <source>Correct the configuration file and restart the agent.</source>
        <translation>Korrigieren Sie die Konfigurationsdatei und starten Sie den Agenten neu.</translation>
    </message>
    <message>
        <source>Single Sign-On request for %1\%2 failed - failed to communicate with the host account cache for host domain %3</source>
        <translation>Single-Sign-On-Anfrage für %1\%2 fehlgeschlagen – keine Verbindung zum Host-Konten-Cache der Host-Domäne %3</translation>
    </message>
    <message>
        <source>No host account cache (primary or backup) answered. If a host security server was recycled, its bindings are stale: force a rebind (Q216558).</source>
        <translation>Kein Host-Konten-Cache (primär oder Backup) hat geantwortet. Wurde ein Host-Security-Server neu gestartet, sind seine Bindungen veraltet: Neubindung erzwingen (Q216558).</translation>
    </message>
    <message>
        <source>Single Sign-On request for %1\%2 was answered by backup cache %3 because the primary %4 could not be reached.</source>
        <translation>Single-Sign-On-Anfrage für %1\%2 wurde vom Backup-Cache %3 beantwortet, weil der primäre Cache %4 nicht erreichbar war.</translation>
    </message>
    <message>
        <source>SSO still works, but the primary host account cache is unreachable.</source>
        <translation>SSO funktioniert noch, aber der primäre Host-Konten-Cache ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>Binding %1 is bound to %2 instance %3.</source>
        <translation>Bindung %1 ist an %2, Instanz %3 gebunden.</translation>
    </message>
    <message>
        <source>Calls on this binding reach the peer service.</source>
        <translation>Aufrufe über diese Bindung erreichen den Partnerdienst.</translation>
    </message>
    <message>
        <source>Binding %1 is stale: %2.</source>
        <translation>Bindung %1 ist veraltet: %2.</translation>
    </message>
    <message>
        <source>The peer went away or was recycled; calls on this binding fail until it is rebound (Q216558).</source>
        <translation>Der Partner ist weg oder wurde neu gestartet; Aufrufe über diese Bindung schlagen fehl, bis sie neu gebunden ist (Q216558).</translation>
    </message>
    <message>
        <source>Rebind of %1 started: %2.</source>
        <translation>Neubindung von %1 gestartet: %2.</translation>
    </message>
    <message>
        <source>The binding is being re-established.</source>
        <translation>Die Bindung wird neu aufgebaut.</translation>
    </message>
    <message>
        <source>Rebind of %1 succeeded: bound to instance %2 after %3 ms.</source>
        <translation>Neubindung von %1 erfolgreich: nach %3 ms an Instanz %2 gebunden.</translation>
    </message>
    <message>
        <source>The binding works again; queued password changes are delivered now.</source>
        <translation>Die Bindung funktioniert wieder; wartende Kennwortänderungen werden jetzt zugestellt.</translation>
    </message>
    <message>
        <source>Rebind of %1 failed with error 0x%2 (%3); next attempt in %4 ms.</source>
        <translation>Neubindung von %1 mit Fehler 0x%2 (%3) fehlgeschlagen; nächster Versuch in %4 ms.</translation>
    </message>
    <message>
        <source>The peer could not be reached; the agent keeps trying with backoff.</source>
        <translation>Der Partner war nicht erreichbar; der Agent versucht es mit wachsendem Abstand weiter.</translation>
    </message>
    <message>
        <source>Binding %1 failed with error 0x%2 (%3).</source>
        <translation>Bindung %1 mit Fehler 0x%2 (%3) fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Calls on this binding fail. Check that the peer agent runs and is reachable.</source>
        <translation>Aufrufe über diese Bindung schlagen fehl. Prüfen Sie, ob der Partneragent läuft und erreichbar ist.</translation>
    </message>
    <message>
        <source>Peer %1 stopped answering heartbeats on binding %2.</source>
        <translation>Partner %1 beantwortet auf Bindung %2 keine Heartbeats mehr.</translation>
    </message>
    <message>
        <source>The peer process is hung or the network drops its packets.</source>
        <translation>Der Partnerprozess hängt oder das Netzwerk verwirft seine Pakete.</translation>
    </message>
    <message>
        <source>Binding %1 is stale and its rebind policy is manual: it stays stale until an operator rebinds it.</source>
        <translation>Bindung %1 ist veraltet und ihre Neubindungsrichtlinie ist manuell: Sie bleibt veraltet, bis ein Operator sie neu bindet.</translation>
    </message>
    <message>
        <source>This is the behaviour before the Q216558 fix. Force a rebind, or set the binding&apos;s policy to auto.</source>
        <translation>Das ist das Verhalten vor der Korrektur Q216558. Erzwingen Sie eine Neubindung oder setzen Sie die Richtlinie der Bindung auf automatisch.</translation>
    </message>
    <message>
        <source>Peer %1 announced a new instance %2.</source>
        <translation>Partner %1 hat eine neue Instanz %2 gemeldet.</translation>
    </message>
    <message>
        <source>The peer was recycled; bindings to it must be rebound.</source>
        <translation>Der Partner wurde neu gestartet; Bindungen zu ihm müssen neu gebunden werden.</translation>
    </message>
    <message>
        <source>RPC Layer returned error 0x%1 (%2) talking to %3. This may happen if host security is not installed or the user account the service is running under, is not privileged to send messages to the remote end.</source>
        <translation>Die RPC-Schicht meldete Fehler 0x%1 (%2) bei der Kommunikation mit %3. Das kann vorkommen, wenn Host Security nicht installiert ist oder das Benutzerkonto, unter dem der Dienst läuft, nicht berechtigt ist, Nachrichten an die Gegenseite zu senden.</translation>
    </message>
    <message>
        <source>Password changes are not reaching the host account sync service. A 0x6BE or 0x6BA after a server was recycled means a stale binding: force a rebind (Q216558). 0x5 means the peer refused the caller: check its role.</source>
        <translation>Kennwortänderungen erreichen den Host-Kontensynchronisierungsdienst nicht. Ein 0x6BE oder 0x6BA nach dem Neustart eines Servers bedeutet eine veraltete Bindung: Neubindung erzwingen (Q216558). 0x5 bedeutet, dass der Partner den Aufrufer abgewiesen hat: Prüfen Sie dessen Rolle.</translation>
    </message>
    <message>
        <source>Password change %1 for %2 queued for %3.</source>
        <translation>Kennwortänderung %1 für %2 für %3 eingereiht.</translation>
    </message>
    <message>
        <source>The change is stored durably and waits for the peer to confirm it.</source>
        <translation>Die Änderung ist dauerhaft gespeichert und wartet auf die Bestätigung des Partners.</translation>
    </message>
    <message>
        <source>Password change %1 for %2 forwarded to %3.</source>
        <translation>Kennwortänderung %1 für %2 an %3 weitergeleitet.</translation>
    </message>
    <message>
        <source>The peer confirmed the change; it left the outbox.</source>
        <translation>Der Partner hat die Änderung bestätigt; sie hat den Postausgang verlassen.</translation>
    </message>
    <message>
        <source>Password change %1 for %2 applied to host account %3.</source>
        <translation>Kennwortänderung %1 für %2 auf Host-Konto %3 angewendet.</translation>
    </message>
    <message>
        <source>The host accepted the new password.</source>
        <translation>Der Host hat das neue Kennwort angenommen.</translation>
    </message>
    <message>
        <source>Password change %1 for %2 rejected by host policy: %3</source>
        <translation>Kennwortänderung %1 für %2 von der Host-Richtlinie abgelehnt: %3</translation>
    </message>
    <message>
        <source>The host&apos;s password rules refused the change; it will not be retried. The user must choose another password.</source>
        <translation>Die Kennwortregeln des Hosts haben die Änderung abgelehnt; sie wird nicht wiederholt. Der Benutzer muss ein anderes Kennwort wählen.</translation>
    </message>
    <message>
        <source>Delivery of password change %1 to %2 failed with error 0x%3 (%4); attempt %5, will retry.</source>
        <translation>Zustellung der Kennwortänderung %1 an %2 mit Fehler 0x%3 (%4) fehlgeschlagen; Versuch %5, wird wiederholt.</translation>
    </message>
    <message>
        <source>The change stays in the outbox and is retried when the binding works.</source>
        <translation>Die Änderung bleibt im Postausgang und wird erneut versucht, sobald die Bindung funktioniert.</translation>
    </message>
    <message>
        <source>Password change %1 from %2 was already applied; the duplicate was ignored.</source>
        <translation>Kennwortänderung %1 von %2 war bereits angewendet; das Duplikat wurde ignoriert.</translation>
    </message>
    <message>
        <source>A redelivery after a lost acknowledgement; nothing was applied twice.</source>
        <translation>Eine erneute Zustellung nach einer verlorenen Bestätigung; nichts wurde doppelt angewendet.</translation>
    </message>
    <message>
        <source>Host-initiated password change %1 for host account %2.</source>
        <translation>Vom Host ausgelöste Kennwortänderung %1 für Host-Konto %2.</translation>
    </message>
    <message>
        <source>The password was changed on the host; it is sent to the domain side.</source>
        <translation>Das Kennwort wurde auf dem Host geändert; es wird an die Domänenseite gesendet.</translation>
    </message>
    <message>
        <source>Host account cache entry for %1 updated by change %2.</source>
        <translation>Eintrag im Host-Konten-Cache für %1 durch Änderung %2 aktualisiert.</translation>
    </message>
    <message>
        <source>SSO look-ups for this user now return the new credential.</source>
        <translation>SSO-Abfragen für diesen Benutzer liefern jetzt die neuen Anmeldedaten.</translation>
    </message>
    <message>
        <source>Resync %1 of %2 users started by %3.</source>
        <translation>Neusynchronisierung %1 von %2 Benutzern durch %3 gestartet.</translation>
    </message>
    <message>
        <source>Each user&apos;s mapping and credential is sent again to the caches.</source>
        <translation>Zuordnung und Anmeldedaten jedes Benutzers werden erneut an die Caches gesendet.</translation>
    </message>
    <message>
        <source>Resync %1 finished: %2 users done, %3 failed, %4.</source>
        <translation>Neusynchronisierung %1 beendet: %2 Benutzer erledigt, %3 fehlgeschlagen, %4.</translation>
    </message>
    <message>
        <source>The resync job ended.</source>
        <translation>Der Neusynchronisierungsauftrag ist beendet.</translation>
    </message>
    <message>
        <source>Domain account %1 password updated by host-initiated change %2.</source>
        <translation>Kennwort des Domänenkontos %1 durch vom Host ausgelöste Änderung %2 aktualisiert.</translation>
    </message>
    <message>
        <source>A password changed on the host now applies on the domain side too.</source>
        <translation>Ein auf dem Host geändertes Kennwort gilt jetzt auch auf der Domänenseite.</translation>
    </message>
    <message>
        <source>Password change for %1 refused: %2</source>
        <translation>Kennwortänderung für %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>The change was not stored and not acknowledged; the caller must retry. Check the agent&apos;s disk and database.</source>
        <translation>Die Änderung wurde weder gespeichert noch bestätigt; der Aufrufer muss es erneut versuchen. Prüfen Sie Datenträger und Datenbank des Agenten.</translation>
    </message>
    <message>
        <source>Operator %1 performed %2 on %3: %4.</source>
        <translation>Operator %1 hat %2 auf %3 ausgeführt: %4.</translation>
    </message>
    <message>
        <source>An administrative action, recorded for audit.</source>
        <translation>Eine administrative Aktion, für die Überwachung protokolliert.</translation>
    </message>
    <message>
        <source>Operator %1 was refused %2 on %3: %4.</source>
        <translation>Operator %1 wurde %2 auf %3 verweigert: %4.</translation>
    </message>
    <message>
        <source>The caller&apos;s role does not allow the action; nothing was changed.</source>
        <translation>Die Rolle des Aufrufers erlaubt die Aktion nicht; nichts wurde geändert.</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::BindingTableModel</name>
    <message>
        <source>%1
string binding: %2
peer instance: %3</source>
        <translation>%1
String-Bindung: %2
Partnerinstanz: %3</translation>
    </message>
    <message>
        <source>Binding</source>
        <translation>Bindung</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>Last success</source>
        <translation>Letzter Erfolg</translation>
    </message>
    <message>
        <source>Last failure</source>
        <translation>Letzter Fehlschlag</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Fehlschläge</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::DemoRunner</name>
    <message>
        <source>Cannot create a folder for the demo domain: %1</source>
        <translation>Für die Demo-Domäne kann kein Ordner angelegt werden: %1</translation>
    </message>
    <message>
        <source>The demo domain did not start: %1</source>
        <translation>Die Demo-Domäne ist nicht gestartet: %1</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::EventFilterBar</name>
    <message>
        <source>All servers</source>
        <translation>Alle Server</translation>
    </message>
    <message>
        <source>Only events of this server</source>
        <translation>Nur Ereignisse dieses Servers</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>Alle Quellen</translation>
    </message>
    <message>
        <source>Only events from this source</source>
        <translation>Nur Ereignisse aus dieser Quelle</translation>
    </message>
    <message>
        <source>Event IDs, e.g. 630, 401</source>
        <translation>Ereignis-IDs, z. B. 630, 401</translation>
    </message>
    <message>
        <source>Only these event IDs, separated by commas</source>
        <translation>Nur diese Ereignis-IDs, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>Alle Schweregrade</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Beliebiger Zeitraum</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>From (inclusive)</source>
        <translation>Von (einschließlich)</translation>
    </message>
    <message>
        <source>Until (exclusive)</source>
        <translation>Bis (ausschließlich)</translation>
    </message>
    <message>
        <source>Search messages (full text)</source>
        <translation>Meldungen durchsuchen (Volltext)</translation>
    </message>
    <message>
        <source>Clear every filter</source>
        <translation>Alle Filter zurücksetzen</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::EventModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::EventsPane</name>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n Ereignis</numerusform>
            <numerusform>%n Ereignisse</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n neu</numerusform>
            <numerusform>%n neu</numerusform>
        </translation>
    </message>
    <message>
        <source>Select an event to see its details.</source>
        <translation>Wählen Sie ein Ereignis, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Agent sequence</source>
        <translation>Agent-Sequenznummer</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>RPC status</source>
        <translation>RPC-Status</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>Was es bedeutet</translation>
    </message>
    <message>
        <source>Live tail</source>
        <translation>Live mitlesen</translation>
    </message>
    <message>
        <source>Show new events at the top as they arrive</source>
        <translation>Neue Ereignisse oben anzeigen, sobald sie eintreffen</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::Format</name>
    <message>
        <source>unbound</source>
        <translation>ungebunden</translation>
    </message>
    <message>
        <source>bound</source>
        <translation>gebunden</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>rebinding</source>
        <translation>wird neu gebunden</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manuell</translation>
    </message>
    <message>
        <source>Domain controller</source>
        <translation>Domänencontroller</translation>
    </message>
    <message>
        <source>Primary cache</source>
        <translation>Primärer Cache</translation>
    </message>
    <message>
        <source>Backup cache</source>
        <translation>Backup-Cache</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>domain account sync</source>
        <translation>Domänenkontensynchronisierung</translation>
    </message>
    <message>
        <source>host account sync</source>
        <translation>Host-Kontensynchronisierung</translation>
    </message>
    <message>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source> (primary)</source>
        <translation> (primär)</translation>
    </message>
    <message>
        <source> (backup)</source>
        <translation> (Backup)</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>Information</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Audit success</source>
        <translation>Überwachung erfolgreich</translation>
    </message>
    <message>
        <source>Audit failure</source>
        <translation>Überwachung fehlgeschlagen</translation>
    </message>
    <message>
        <source>in sync</source>
        <translation>synchron</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n T</numerusform>
            <numerusform>%n T</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hostsec::ui::MainWindow</name>
    <message>
        <source>Cannot read the history database %1: %2</source>
        <translation>Die Verlaufsdatenbank %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 runs as a new instance: bindings to it must be rebound.</source>
        <translation>%1 läuft als neue Instanz: Bindungen zu diesem Server müssen neu gebunden werden.</translation>
    </message>
    <message>
        <source>Starting demo domain…</source>
        <translation>Demo-Domäne wird gestartet…</translation>
    </message>
    <message>
        <source>Cannot open the profile %1: %2</source>
        <translation>Das Profil %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation>Profil öffnen</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>No agent of this domain answers.</source>
        <translation>Kein Agent dieser Domäne antwortet.</translation>
    </message>
    <message>
        <source>Resync %1: %2 of %3 users done, %4 failed.</source>
        <translation>Neusynchronisierung %1: %2 von %3 Benutzern erledigt, %4 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Select a binding to see its timeline.</source>
        <translation>Wählen Sie eine Bindung, um ihren Verlauf zu sehen.</translation>
    </message>
    <message>
        <source>Timeline of %1 (%2)</source>
        <translation>Verlauf von %1 (%2)</translation>
    </message>
    <message>
        <source>Select a binding to rebind.</source>
        <translation>Wählen Sie die Bindung, die neu gebunden werden soll.</translation>
    </message>
    <message>
        <source>Select a server whose bindings to rebind.</source>
        <translation>Wählen Sie den Server, dessen Bindungen neu gebunden werden sollen.</translation>
    </message>
    <message>
        <source>Select a server to recycle.</source>
        <translation>Wählen Sie den Server, der neu gestartet werden soll.</translation>
    </message>
    <message>
        <source>Select users in the Users pane to resync them.</source>
        <translation>Wählen Sie im Bereich „Benutzer“ die Benutzer aus, die neu synchronisiert werden sollen.</translation>
    </message>
    <message>
        <source>Resync users</source>
        <translation>Benutzer neu synchronisieren</translation>
    </message>
    <message>
        <source>Starting the resync…</source>
        <translation>Neusynchronisierung wird gestartet…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Show events of %1</source>
        <translation>Ereignisse von %1 anzeigen</translation>
    </message>
    <message>
        <source>Copy binding id</source>
        <translation>Bindungs-ID kopieren</translation>
    </message>
    <message>
        <source>Open domain profile</source>
        <translation>Domänenprofil öffnen</translation>
    </message>
    <message>
        <source>Domain profiles (*.json);;All files (*)</source>
        <translation>Domänenprofile (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>About Host Security Console</source>
        <translation>Über Host Security Console</translation>
    </message>
    <message>
        <source>&lt;b&gt;Host Security Console&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Host Security Console&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>Shows a host security domain&apos;s servers and RPC bindings, rebinds stale bindings, resyncs users and searches every server&apos;s event history.</source>
        <translation>Zeigt die Server und RPC-Bindungen einer Host-Security-Domäne, bindet veraltete Bindungen neu, synchronisiert Benutzer neu und durchsucht den Ereignisverlauf aller Server.</translation>
    </message>
    <message>
        <source>starting demo domain…</source>
        <translation>Demo-Domäne wird gestartet…</translation>
    </message>
    <message>
        <source>demo domain failed</source>
        <translation>Demo-Domäne fehlgeschlagen</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message numerus="yes">
        <source>%n agent(s) unreachable</source>
        <translation>
            <numerusform>%n Agent nicht erreichbar</numerusform>
            <numerusform>%n Agenten nicht erreichbar</numerusform>
        </translation>
    </message>
    <message>
        <source>no agent answers</source>
        <translation>kein Agent antwortet</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>failed users</source>
        <translation>fehlgeschlagene Benutzer</translation>
    </message>
    <message>
        <source>outbox backlog</source>
        <translation>Rückstau im Postausgang</translation>
    </message>
    <message>
        <source>Bindings that are stale: calls on them fail until rebound</source>
        <translation>Veraltete Bindungen: Aufrufe über sie schlagen fehl, bis sie neu gebunden sind</translation>
    </message>
    <message>
        <source>Bindings that failed</source>
        <translation>Fehlgeschlagene Bindungen</translation>
    </message>
    <message>
        <source>Users whose password sync failed</source>
        <translation>Benutzer, deren Kennwortsynchronisierung fehlgeschlagen ist</translation>
    </message>
    <message>
        <source>Password changes waiting in the agents&apos; outboxes</source>
        <translation>Kennwortänderungen, die in den Postausgängen der Agenten warten</translation>
    </message>
    <message>
        <source>Host Security Console</source>
        <translation>Host Security Console</translation>
    </message>
    <message>
        <source>DEMO DOMAIN</source>
        <translation>DEMO-DOMÄNE</translation>
    </message>
    <message>
        <source>A demo domain of real agents on this computer, created for this session and removed at exit. Recycle a server to see what happens.</source>
        <translation>Eine Demo-Domäne aus echten Agenten auf diesem Computer, für diese Sitzung angelegt und beim Beenden entfernt. Starten Sie einen Server neu, um zu sehen, was passiert.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Recent profiles</source>
        <translation>&amp;Zuletzt verwendete Profile</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>Ak&amp;tionen</translation>
    </message>
    <message>
        <source>Resync &amp;users</source>
        <translation>&amp;Benutzer neu synchronisieren</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Open profile…</source>
        <translation>Profil ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Connect to the domain a profile file describes</source>
        <translation>Mit der Domäne verbinden, die eine Profildatei beschreibt</translation>
    </message>
    <message>
        <source>Start &amp;demo domain</source>
        <translation>&amp;Demo-Domäne starten</translation>
    </message>
    <message>
        <source>Start a small domain of real agents on this computer</source>
        <translation>Eine kleine Domäne aus echten Agenten auf diesem Computer starten</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Ask every agent now (F5)</source>
        <translation>Alle Agenten jetzt abfragen (F5)</translation>
    </message>
    <message>
        <source>Force rebind</source>
        <translation>Neubindung erzwingen</translation>
    </message>
    <message>
        <source>Rebind the selected binding (Ctrl+R)</source>
        <translation>Die ausgewählte Bindung neu binden (Strg+R)</translation>
    </message>
    <message>
        <source>Rebind server&apos;s bindings</source>
        <translation>Bindungen des Servers neu binden</translation>
    </message>
    <message>
        <source>Rebind every binding of the selected server (Ctrl+Shift+R)</source>
        <translation>Alle Bindungen des ausgewählten Servers neu binden (Strg+Umschalt+R)</translation>
    </message>
    <message>
        <source>Rebind all stale</source>
        <translation>Alle veralteten neu binden</translation>
    </message>
    <message>
        <source>Ask every agent to rebind its stale bindings (Ctrl+Alt+R)</source>
        <translation>Alle Agenten auffordern, ihre veralteten Bindungen neu zu binden (Strg+Alt+R)</translation>
    </message>
    <message>
        <source>Resync selected users</source>
        <translation>Ausgewählte Benutzer neu synchronisieren</translation>
    </message>
    <message>
        <source>Resync failed users</source>
        <translation>Fehlgeschlagene Benutzer neu synchronisieren</translation>
    </message>
    <message>
        <source>Send every failed user&apos;s mapping and credential again</source>
        <translation>Zuordnung und Anmeldedaten aller fehlgeschlagenen Benutzer erneut senden</translation>
    </message>
    <message>
        <source>Resync all users</source>
        <translation>Alle Benutzer neu synchronisieren</translation>
    </message>
    <message>
        <source>Recycle server</source>
        <translation>Server neu starten</translation>
    </message>
    <message>
        <source>Demo domain only: kill the selected server&apos;s agent and start it again, as a reboot would (Ctrl+Shift+X)</source>
        <translation>Nur Demo-Domäne: den Agenten des ausgewählten Servers beenden und wie bei einem Neustart wieder starten (Strg+Umschalt+X)</translation>
    </message>
    <message>
        <source>Fit topology</source>
        <translation>Topologie einpassen</translation>
    </message>
    <message>
        <source>Show every server (Ctrl+0)</source>
        <translation>Alle Server zeigen (Strg+0)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Live tail of events</source>
        <translation>Ereignisse live mitlesen</translation>
    </message>
    <message>
        <source>&amp;About Host Security Console</source>
        <translation>Ü&amp;ber Host Security Console</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Bindings</source>
        <translation>Bindungen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Filter bindings</source>
        <translation>Bindungen filtern</translation>
    </message>
    <message>
        <source>No recent profiles</source>
        <translation>Keine zuletzt verwendeten Profile</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>Filter servers</source>
        <translation>Server filtern</translation>
    </message>
    <message>
        <source>Rebind</source>
        <translation>Neu binden</translation>
    </message>
    <message>
        <source>Rebind stale</source>
        <translation>Veraltete neu binden</translation>
    </message>
    <message>
        <source>Resync failed</source>
        <translation>Fehlgeschlagene abgleichen</translation>
    </message>
    <message>
        <source>Recycle</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::OutboxModel</name>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Outbox of</source>
        <translation>Postausgang von</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Letzter Versuch</translation>
    </message>
    <message>
        <source>Last status</source>
        <translation>Letzter Status</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::ServerTableModel</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no, since %1</source>
        <translation>nein, seit %1</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>%1 does not answer at %2: %3</source>
        <translation>%1 antwortet nicht unter %2: %3</translation>
    </message>
    <message>
        <source>New instance since %1 (was %2)</source>
        <translation>Neue Instanz seit %1 (vorher %2)</translation>
    </message>
    <message>
        <source>%1 at %2, version %3</source>
        <translation>%1 unter %2, Version %3</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Instanz</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::Session</name>
    <message>
        <source>Cannot open the history database %1: %2</source>
        <translation>Die Verlaufsdatenbank %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>no agent %1 in this profile</source>
        <translation>kein Agent %1 in diesem Profil</translation>
    </message>
    <message>
        <source>Nothing to refresh: no domain is open.</source>
        <translation>Nichts zu aktualisieren: Keine Domäne ist geöffnet.</translation>
    </message>
    <message>
        <source>Rebind of %1 started.</source>
        <translation>Neubindung von %1 gestartet.</translation>
    </message>
    <message>
        <source>Rebind of %1 failed: %2</source>
        <translation>Neubindung von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>No binding %1 is known.</source>
        <translation>Keine Bindung %1 bekannt.</translation>
    </message>
    <message>
        <source>Server %1 has no bindings to rebind.</source>
        <translation>Server %1 hat keine Bindungen, die neu gebunden werden könnten.</translation>
    </message>
    <message numerus="yes">
        <source>Rebinding %n binding(s) of %1.</source>
        <translation>
            <numerusform>%n Bindung von %1 wird neu gebunden.</numerusform>
            <numerusform>%n Bindungen von %1 werden neu gebunden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Rebind of %1&apos;s bindings failed: %2</source>
        <translation>Neubindung der Bindungen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cannot rebind: no agent answers.</source>
        <translation>Neubindung nicht möglich: Kein Agent antwortet.</translation>
    </message>
    <message>
        <source>Rebind of stale bindings failed on %1</source>
        <translation>Neubindung veralteter Bindungen fehlgeschlagen auf %1</translation>
    </message>
    <message>
        <source>No stale bindings to rebind.</source>
        <translation>Keine veralteten Bindungen zum Neubinden.</translation>
    </message>
    <message numerus="yes">
        <source>Rebinding %n stale binding(s).</source>
        <translation>
            <numerusform>%n veraltete Bindung wird neu gebunden.</numerusform>
            <numerusform>%n veraltete Bindungen werden neu gebunden.</numerusform>
        </translation>
    </message>
    <message>
        <source>No primary host account cache is known.</source>
        <translation>Kein primärer Host-Konten-Cache bekannt.</translation>
    </message>
    <message>
        <source>Cannot resync: %1</source>
        <translation>Neusynchronisierung nicht möglich: %1</translation>
    </message>
    <message>
        <source>Resync failed to start: %1</source>
        <translation>Neusynchronisierung konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>Resync %1 finished: %2 done, %3 failed.</source>
        <translation>Neusynchronisierung %1 beendet: %2 erledigt, %3 fehlgeschlagen.</translation>
    </message>
    <message numerus="yes">
        <source>Resync %1 of %n user(s) started.</source>
        <translation>
            <numerusform>Neusynchronisierung %1 von %n Benutzer gestartet.</numerusform>
            <numerusform>Neusynchronisierung %1 von %n Benutzern gestartet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Lost track of resync %1: %2</source>
        <translation>Neusynchronisierung %1 kann nicht mehr verfolgt werden: %2</translation>
    </message>
    <message>
        <source>Resync %1 cancelled after %2 of %3 users.</source>
        <translation>Neusynchronisierung %1 nach %2 von %3 Benutzern abgebrochen.</translation>
    </message>
    <message>
        <source>Cannot cancel resync %1: %2</source>
        <translation>Neusynchronisierung %1 kann nicht abgebrochen werden: %2</translation>
    </message>
    <message>
        <source>Recycling a server is possible only in the demo domain.</source>
        <translation>Ein Server kann nur in der Demo-Domäne neu gestartet werden.</translation>
    </message>
    <message>
        <source>Recycling %1…</source>
        <translation>%1 wird neu gestartet…</translation>
    </message>
    <message>
        <source>%1 was recycled: it runs as a new instance.</source>
        <translation>%1 wurde neu gestartet: Er läuft als neue Instanz.</translation>
    </message>
    <message>
        <source>Recycling %1 failed: %2</source>
        <translation>Neustart von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>no primary host account cache is known yet</source>
        <translation>noch kein primärer Host-Konten-Cache bekannt</translation>
    </message>
    <message>
        <source>no agent answers</source>
        <translation>kein Agent antwortet</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemvorgabe</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::TopologyScene</name>
    <message>
        <source>Domain controllers</source>
        <translation>Domänencontroller</translation>
    </message>
    <message>
        <source>Host security servers</source>
        <translation>Host-Security-Server</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>Not yet known</source>
        <translation>Noch unbekannt</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 unter %2</translation>
    </message>
    <message>
        <source>instance %1</source>
        <translation>Instanz %1</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>unreachable since %1</source>
        <translation>nicht erreichbar seit %1</translation>
    </message>
    <message>
        <source>new instance since %1</source>
        <translation>neue Instanz seit %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>Richtlinie</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::UserTableModel</name>
    <message>
        <source>Domain account</source>
        <translation>Domänenkonto</translation>
    </message>
    <message>
        <source>Host account</source>
        <translation>Host-Konto</translation>
    </message>
    <message>
        <source>Host domain</source>
        <translation>Host-Domäne</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>Synchronisierung</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Letzte Änderung</translation>
    </message>
    <message>
        <source>Last status</source>
        <translation>Letzter Status</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::UsersPane</name>
    <message>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <source>cannot list users: %1</source>
        <translation>Benutzer können nicht aufgelistet werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n user(s) so far</source>
        <translation>
            <numerusform>bisher %n Benutzer</numerusform>
            <numerusform>bisher %n Benutzer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n user(s)</source>
        <translation>
            <numerusform>%n Benutzer</numerusform>
            <numerusform>%n Benutzer</numerusform>
        </translation>
    </message>
    <message>
        <source>Select one user to see its pending changes.</source>
        <translation>Wählen Sie einen Benutzer, um seine ausstehenden Änderungen zu sehen.</translation>
    </message>
    <message>
        <source>Pending changes of %1: loading…</source>
        <translation>Ausstehende Änderungen von %1: werden geladen…</translation>
    </message>
    <message>
        <source>Pending changes of %1: %2</source>
        <translation>Ausstehende Änderungen von %1: %2</translation>
    </message>
    <message>
        <source>No pending changes for %1.</source>
        <translation>Keine ausstehenden Änderungen für %1.</translation>
    </message>
    <message>
        <source>Pending changes of %1:</source>
        <translation>Ausstehende Änderungen von %1:</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>Alle Benutzer</translation>
    </message>
    <message>
        <source>Failed only</source>
        <translation>Nur fehlgeschlagene</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>In sync</source>
        <translation>Synchron</translation>
    </message>
    <message>
        <source>Filter by domain or host account</source>
        <translation>Nach Domänen- oder Host-Konto filtern</translation>
    </message>
    <message>
        <source>Reload users</source>
        <translation>Benutzer neu laden</translation>
    </message>
</context>
</TS>
