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
        <source>Host security agent %1 read its TLS files again and presents certificate %2 (valid until %3) from now on.</source>
        <translation>Host-Security-Agent %1 hat seine TLS-Dateien neu gelesen und weist ab jetzt Zertifikat %2 vor (gültig bis %3).</translation>
    </message>
    <message>
        <source>The agent was sent SIGHUP. New connections use the renewed certificate and CA; connections already open keep theirs until they close.</source>
        <translation>Der Agent hat SIGHUP erhalten. Neue Verbindungen verwenden das erneuerte Zertifikat und die CA; bereits offene Verbindungen behalten ihre, bis sie geschlossen werden.</translation>
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
    <name>hostsec::Finding</name>
    <message>
        <source>Start %1&apos;s agent (this starts every agent of the demo domain that is not running).</source>
        <translation>Starten Sie den Agenten von %1 (dies startet alle Agenten der Demo-Domäne, die nicht laufen).</translation>
    </message>
    <message>
        <source>Start hostsecd on %1 (for example: systemctl start hostsecd) and check that %2 can be reached from here; then check that it answers:</source>
        <translation>Starten Sie hostsecd auf %1 (zum Beispiel: systemctl start hostsecd) und prüfen Sie, ob %2 von hier aus erreichbar ist; prüfen Sie dann, ob der Server antwortet:</translation>
    </message>
    <message>
        <source>Force a rebind of %1 on %2.</source>
        <translation>Erzwingen Sie eine Neubindung von %1 auf %2.</translation>
    </message>
    <message>
        <source>Force a rebind of every binding %1 holds; %2 of them are broken.</source>
        <translation>Erzwingen Sie eine Neubindung aller Bindungen, die %1 hält; %2 davon sind gestört.</translation>
    </message>
    <message>
        <source>Force a rebind of every binding that is not bound, on every server.</source>
        <translation>Erzwingen Sie auf allen Servern eine Neubindung aller Bindungen, die nicht gebunden sind.</translation>
    </message>
    <message>
        <source>%1 does not answer since %2</source>
        <translation>%1 antwortet seit %2 nicht</translation>
    </message>
    <message>
        <source>%1 does not answer</source>
        <translation>%1 antwortet nicht</translation>
    </message>
    <message>
        <source>%1 (%2) did not answer the admin API: %3.</source>
        <translation>%1 (%2) hat über die Admin-API nicht geantwortet: %3.</translation>
    </message>
    <message>
        <source>The bindings other servers hold to it are not bound: %1.</source>
        <translation>Die Bindungen, die andere Server zu ihm halten, sind nicht gebunden: %1.</translation>
    </message>
    <message>
        <source>The first of them broke at %1 (%2 ago).</source>
        <translation>Die erste davon ist um %1 ausgefallen (vor %2).</translation>
    </message>
    <message>
        <source>Its hostsecd process is not running, hangs, or cannot be reached from this machine.</source>
        <translation>Sein hostsecd-Prozess läuft nicht, hängt oder ist von diesem Computer aus nicht erreichbar.</translation>
    </message>
    <message>
        <source>It keeps a host account cache: single sign-on goes to another cache while one is reachable, and password changes for it wait in the outboxes of the servers that send them.</source>
        <translation>Er führt einen Host-Konten-Cache: Single Sign-On weicht auf einen anderen Cache aus, solange einer erreichbar ist, und Kennwortänderungen für ihn warten in den Postausgängen der Server, die sie senden.</translation>
    </message>
    <message>
        <source>It is the host: password changes wait in the primary cache&apos;s outbox and no logon to the host can be verified.</source>
        <translation>Er ist der Host: Kennwortänderungen warten im Postausgang des primären Caches, und Anmeldungen am Host können nicht überprüft werden.</translation>
    </message>
    <message>
        <source>It runs domain account sync: password changes made on the domain side cannot be queued and host-initiated changes do not reach the domain.</source>
        <translation>Er führt die Domänenkontensynchronisierung aus: Auf der Domänenseite vorgenommene Kennwortänderungen können nicht eingereiht werden, und vom Host ausgelöste Änderungen erreichen die Domäne nicht.</translation>
    </message>
    <message>
        <source>%1&apos;s binding to %2 is stale since %2 was recycled at %3</source>
        <translation>Die Bindung von %1 zu %2 ist veraltet, seit %2 um %3 neu gestartet wurde</translation>
    </message>
    <message>
        <source>%1 bindings to %2 are stale since %2 was recycled at %3</source>
        <translation>%1 Bindungen zu %2 sind veraltet, seit %2 um %3 neu gestartet wurde</translation>
    </message>
    <message>
        <source>%1 restarted at %2 (%3 ago) and runs a new instance, %4.</source>
        <translation>%1 wurde um %2 neu gestartet (vor %3) und läuft als neue Instanz %4.</translation>
    </message>
    <message>
        <source>%1 has been %2 since %3 (%4 ago): last error %5, failures in a row: %6, rebind policy %7, last bound to instance %8.</source>
        <translation>%1 ist seit %3 (vor %4) im Zustand %2: letzter Fehler %5, Fehlschläge in Folge: %6, Neubindungsrichtlinie %7, zuletzt an Instanz %8 gebunden.</translation>
    </message>
    <message>
        <source>%1 was recycled: its new instance knows nothing of the connections other servers held to the old one, so every call on these bindings fails (0x6BE The remote procedure call failed, or 0x6BA) until they are rebound. Meanwhile password changes stop propagating (event 630) and single sign-on can fail (event 401). This is the failure described in Q216558.</source>
        <translation>%1 wurde neu gestartet: Seine neue Instanz weiß nichts von den Verbindungen, die andere Server zur alten Instanz hielten, daher schlägt jeder Aufruf über diese Bindungen fehl (0x6BE Der Remoteprozeduraufruf ist fehlgeschlagen, oder 0x6BA), bis sie neu gebunden sind. Bis dahin werden Kennwortänderungen nicht mehr weitergegeben (Ereignis 630), und Single Sign-On kann fehlschlagen (Ereignis 401). Das ist der in Q216558 beschriebene Fehler.</translation>
    </message>
    <message>
        <source>The rebind policy of %1 is manual: nothing but an operator&apos;s rebind restores it.</source>
        <translation>Die Neubindungsrichtlinie auf %1 ist manuell: Nur eine Neubindung durch einen Operator stellt die Bindung wieder her.</translation>
    </message>
    <message>
        <source>Where the rebind policy is auto the binding should have rebound by itself within %1; it did not, so look at the holder&apos;s events 604 (rebind failed).</source>
        <translation>Wo die Neubindungsrichtlinie automatisch ist, hätte sich die Bindung innerhalb von %1 selbst neu binden müssen; das ist nicht geschehen, prüfen Sie daher die Ereignisse 604 (Neubindung fehlgeschlagen) des Servers, der die Bindung hält.</translation>
    </message>
    <message>
        <source>%1 refuses %2&apos;s calls: 0x5 Access is denied</source>
        <translation>%1 weist Aufrufe von %2 ab: 0x5 Zugriff verweigert</translation>
    </message>
    <message>
        <source>The binding %1 is %2 since %3: %4 refused it with %5.</source>
        <translation>Die Bindung %1 ist seit %3 im Zustand %2: %4 hat sie mit %5 abgewiesen.</translation>
    </message>
    <message>
        <source>The binding %1 is bound, but %2 refuses the deliveries over it with %3.</source>
        <translation>Die Bindung %1 ist gebunden, aber %2 weist die Zustellungen über sie mit %3 ab.</translation>
    </message>
    <message>
        <source>%1 password changes wait in %2&apos;s outbox for %3 (users: %4).</source>
        <translation>%1 Kennwortänderungen für %3 warten im Postausgang von %2 (Benutzer: %4).</translation>
    </message>
    <message>
        <source>%1 does not accept %2 as a peer: the certificate %2 presents is not issued by the domain&apos;s CA, has expired or names another server, or the role it maps to may not make peer calls (viewer and operator certificates are refused). A rebind does not help until that is corrected; this is the 0x5 of event 630 in Q216558.</source>
        <translation>%1 akzeptiert %2 nicht als Partner: Das Zertifikat, das %2 vorlegt, wurde nicht von der CA der Domäne ausgestellt, ist abgelaufen oder nennt einen anderen Server, oder die Rolle, der es zugeordnet ist, darf keine Partneraufrufe ausführen (Viewer- und Operator-Zertifikate werden abgewiesen). Eine Neubindung hilft erst, wenn das behoben ist; das ist der Fehler 0x5 aus Ereignis 630 in Q216558.</translation>
    </message>
    <message>
        <source>Check on %1 that %2&apos;s certificate is issued by the domain&apos;s CA, is valid and maps to a server role, then rebind. %1 records each refusal as audit event 901:</source>
        <translation>Prüfen Sie auf %1, ob das Zertifikat von %2 von der CA der Domäne ausgestellt wurde, gültig ist und einer Serverrolle zugeordnet ist, und binden Sie dann neu. %1 protokolliert jede Abweisung als Überwachungsereignis 901:</translation>
    </message>
    <message>
        <source>Single sign-on fails on %1: no host account cache can be reached</source>
        <translation>Single Sign-On schlägt auf %1 fehl: Kein Host-Konten-Cache ist erreichbar</translation>
    </message>
    <message>
        <source>%1 single sign-on requests failed on %2 between %3 and %4 (event 401), for %5.</source>
        <translation>Auf %2 sind zwischen %3 und %4 %1 Single-Sign-On-Anfragen fehlgeschlagen (Ereignis 401), für %5.</translation>
    </message>
    <message>
        <source>No server of the domain runs a host account cache.</source>
        <translation>Kein Server der Domäne führt einen Host-Konten-Cache.</translation>
    </message>
    <message>
        <source>The caches now: %1.</source>
        <translation>Die Caches derzeit: %1.</translation>
    </message>
    <message>
        <source>Single sign-on asks the primary host account cache, then the backups, over %1&apos;s bindings to them; none answered, so each request fails with event 401, as in Q216558. Users cannot log on to the host with single sign-on until one cache is reachable again.</source>
        <translation>Single Sign-On fragt über die Bindungen von %1 zuerst den primären Host-Konten-Cache und dann die Backup-Caches ab; keiner hat geantwortet, daher schlägt jede Anfrage mit Ereignis 401 fehl, wie in Q216558 beschrieben. Benutzer können sich erst wieder per Single Sign-On am Host anmelden, wenn ein Cache erreichbar ist.</translation>
    </message>
    <message>
        <source>Check which servers answer and what they run:</source>
        <translation>Prüfen Sie, welche Server antworten und was auf ihnen läuft:</translation>
    </message>
    <message>
        <source>1 password change on %1 has waited %2 for %3</source>
        <translation>1 Kennwortänderung auf %1 wartet seit %2 auf %3</translation>
    </message>
    <message>
        <source>%1 password changes on %2 wait for %3, the oldest for %4</source>
        <translation>%1 Kennwortänderungen auf %2 warten auf %3, die älteste seit %4</translation>
    </message>
    <message>
        <source>The link from %1 to %2 is slow: %3 changes waiting, the oldest for %4</source>
        <translation>Die Verbindung von %1 zu %2 ist langsam: %3 Änderungen warten, die älteste seit %4</translation>
    </message>
    <message>
        <source>%1&apos;s outbox holds %2 changes for %3 (users: %4). The oldest, %5 for %6, was queued at %7 and has been tried %8 times.</source>
        <translation>Der Postausgang von %1 enthält %2 Änderungen für %3 (Benutzer: %4). Die älteste, %5 für %6, wurde um %7 eingereiht und %8-mal versucht.</translation>
    </message>
    <message>
        <source>The last attempt, at %1, failed with %2.</source>
        <translation>Der letzte Versuch um %1 ist mit %2 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The binding is bound and deliveries succeed; the oldest change is above the %1 lag threshold.</source>
        <translation>Die Bindung ist gebunden und Zustellungen gelingen; die älteste Änderung liegt über dem Verzögerungsschwellenwert von %1.</translation>
    </message>
    <message>
        <source>The link works but delivers more slowly than changes arrive: a burst of changes, a slow peer or host, or a slow network. Nothing is lost. It needs action only if it keeps growing.</source>
        <translation>Die Verbindung funktioniert, stellt aber langsamer zu, als Änderungen eintreffen: eine Häufung von Änderungen, ein langsamer Partner oder Host oder ein langsames Netzwerk. Es geht nichts verloren. Handlungsbedarf besteht nur, wenn der Rückstau weiter wächst.</translation>
    </message>
    <message>
        <source>Watch the outbox of %1:</source>
        <translation>Beobachten Sie den Postausgang von %1:</translation>
    </message>
    <message>
        <source>%1 does not answer, so the changes cannot be delivered. They are stored durably on %2 and delivered when %1 is back; until then the host and single sign-on still use the old passwords.</source>
        <translation>%1 antwortet nicht, daher können die Änderungen nicht zugestellt werden. Sie sind auf %2 dauerhaft gespeichert und werden zugestellt, sobald %1 wieder erreichbar ist; bis dahin verwenden der Host und Single Sign-On weiterhin die alten Kennwörter.</translation>
    </message>
    <message>
        <source>The binding %1 is %2 since %3, so the changes cannot be delivered (the domain controller reports it as event 630). They are stored durably and delivered once the binding is bound again.</source>
        <translation>Die Bindung %1 ist seit %3 im Zustand %2, daher können die Änderungen nicht zugestellt werden (der Domänencontroller meldet das als Ereignis 630). Sie sind dauerhaft gespeichert und werden zugestellt, sobald die Bindung wieder gebunden ist.</translation>
    </message>
    <message>
        <source>Its rebind policy is manual: it waits for an operator.</source>
        <translation>Ihre Neubindungsrichtlinie ist manuell: Sie wartet auf einen Operator.</translation>
    </message>
    <message>
        <source>The binding to %1 is bound, but %1 fails the deliveries with %2; the changes are retried and stay in the outbox until %1 accepts them.</source>
        <translation>Die Bindung zu %1 ist gebunden, aber Zustellungen an %1 schlagen mit %2 fehl; die Änderungen werden wiederholt und bleiben im Postausgang, bis %1 sie annimmt.</translation>
    </message>
    <message>
        <source>Look at the delivery errors in the outbox of %1 and in the events of %2:</source>
        <translation>Sehen Sie sich die Zustellfehler im Postausgang von %1 und in den Ereignissen von %2 an:</translation>
    </message>
    <message>
        <source>The host rejects the password changes of %1</source>
        <translation>Der Host lehnt die Kennwortänderungen von %1 ab</translation>
    </message>
    <message>
        <source>The host rejects the password changes of %1 users</source>
        <translation>Der Host lehnt die Kennwortänderungen von %1 Benutzern ab</translation>
    </message>
    <message>
        <source>Host policy refused %1 changes of %2 in the recent events (event 703), the last at %3. The host&apos;s rule: %4</source>
        <translation>Die Host-Richtlinie hat in den letzten Ereignissen %1 Änderungen von %2 abgelehnt (Ereignis 703), zuletzt um %3. Die Regel des Hosts: %4</translation>
    </message>
    <message>
        <source>The host checks every new password against its rules (length, characters, history) and refused these. A rejected change is not retried: the domain and host passwords of these users now differ, and single sign-on hands out the old host password until the user sets a password the host accepts.</source>
        <translation>Der Host prüft jedes neue Kennwort anhand seiner Regeln (Länge, Zeichen, Chronik) und hat diese abgelehnt. Eine abgelehnte Änderung wird nicht wiederholt: Domänen- und Host-Kennwort dieser Benutzer unterscheiden sich jetzt, und Single Sign-On gibt das alte Host-Kennwort aus, bis der Benutzer ein Kennwort festlegt, das der Host annimmt.</translation>
    </message>
    <message>
        <source>Ask these users to set a new password that meets the host&apos;s rule. The users whose last change was rejected:</source>
        <translation>Bitten Sie diese Benutzer, ein neues Kennwort festzulegen, das die Regel des Hosts erfüllt. Die Benutzer, deren letzte Änderung abgelehnt wurde:</translation>
    </message>
    <message>
        <source>Binding %1 is flapping: lost %2 times in %3</source>
        <translation>Bindung %1 ist instabil: in %3 %2-mal unterbrochen</translation>
    </message>
    <message>
        <source>Between %1 and %2 the binding lost its connection %3 times (more than %4 in %5); it is %6 now.</source>
        <translation>Zwischen %1 und %2 hat die Bindung ihre Verbindung %3-mal verloren (mehr als %4 in %5); jetzt ist sie im Zustand %6.</translation>
    </message>
    <message>
        <source>%1 saw %2 restart %3 times in that period (event 610).</source>
        <translation>%1 hat in diesem Zeitraum %3 Neustarts von %2 festgestellt (Ereignis 610).</translation>
    </message>
    <message>
        <source>A binding that keeps breaking points at a peer that restarts again and again (a crash loop), a peer too busy to answer heartbeats in time, or a network that drops connections. Each break fails the calls in flight and delays password changes.</source>
        <translation>Eine Bindung, die immer wieder abbricht, deutet auf einen Partner hin, der ständig neu startet (eine Absturzschleife), auf einen Partner, der zu ausgelastet ist, um Heartbeats rechtzeitig zu beantworten, oder auf ein Netzwerk, das Verbindungen trennt. Jeder Abbruch lässt die laufenden Aufrufe fehlschlagen und verzögert Kennwortänderungen.</translation>
    </message>
    <message>
        <source>Look at why it breaks: the binding events on %1 and the agent log of %2.</source>
        <translation>Sehen Sie nach, warum sie abbricht: in den Bindungsereignissen auf %1 und im Agentprotokoll von %2.</translation>
    </message>
    <message>
        <source>Binding %1 is %2 since %3</source>
        <translation>Bindung %1 ist seit %3 im Zustand %2</translation>
    </message>
    <message>
        <source>%1 has been %2 since %3 (%4 ago): last error %5, failures in a row: %6, rebind policy %7.</source>
        <translation>%1 ist seit %3 (vor %4) im Zustand %2: letzter Fehler %5, Fehlschläge in Folge: %6, Neubindungsrichtlinie %7.</translation>
    </message>
    <message>
        <source>%1 answers, but the binding lost its connection and its rebind policy is manual: it stays %2 until an operator rebinds it.</source>
        <translation>%1 antwortet, aber die Bindung hat ihre Verbindung verloren und ihre Neubindungsrichtlinie ist manuell: Sie bleibt im Zustand %2, bis ein Operator sie neu bindet.</translation>
    </message>
    <message>
        <source>%1 answers, but the binding has not been re-established for %2; its last error says why, and %3&apos;s events 604 record each failed attempt.</source>
        <translation>%1 antwortet, aber die Bindung wurde seit %2 nicht neu aufgebaut; ihr letzter Fehler nennt den Grund, und die Ereignisse 604 von %3 protokollieren jeden fehlgeschlagenen Versuch.</translation>
    </message>
    <message>
        <source>The TLS certificate of %1 expires on %2</source>
        <translation>Das TLS-Zertifikat von %1 läuft am %2 ab</translation>
    </message>
    <message>
        <source>%1 serves the certificate %2, valid until %3 (%4 from now).</source>
        <translation>%1 weist das Zertifikat %2 vor, gültig bis %3 (noch %4).</translation>
    </message>
    <message>
        <source>Once it has expired, no peer and no console accepts it: every binding to %1 fails, and so do password changes and SSO look-ups through it.</source>
        <translation>Sobald es abgelaufen ist, akzeptiert es kein Partner und keine Konsole mehr: Jede Bindung zu %1 schlägt fehl, ebenso Kennwortänderungen und SSO-Abfragen über diesen Server.</translation>
    </message>
    <message>
        <source>Issue %1 a new service certificate from the domain&apos;s CA (hostsecctl pki issue --role service), put it in place of the files its [tls] cert and key name, and send hostsecd SIGHUP: it takes the new one without a restart.</source>
        <translation>Stellen Sie %1 mit der CA der Domäne ein neues Dienstzertifikat aus (hostsecctl pki issue --role service), ersetzen Sie damit die Dateien, die [tls] cert und key nennen, und senden Sie hostsecd SIGHUP: Der Agent übernimmt das neue Zertifikat ohne Neustart.</translation>
    </message>
    <message>
        <source>Your certificate %1 expires on %2</source>
        <translation>Ihr Zertifikat %1 läuft am %2 ab</translation>
    </message>
    <message>
        <source>The profile presents the certificate %1 (role %2, %3) to every agent; it is valid until %4 (%5 from now).</source>
        <translation>Das Profil weist jedem Agenten das Zertifikat %1 vor (Rolle %2, %3); es ist gültig bis %4 (noch %5).</translation>
    </message>
    <message>
        <source>Once it has expired, every agent refuses the console and hostsecctl with this profile: nothing can be seen or done with it.</source>
        <translation>Sobald es abgelaufen ist, weist jeder Agent die Konsole und hostsecctl mit diesem Profil ab: Damit lässt sich nichts mehr sehen oder tun.</translation>
    </message>
    <message>
        <source>Have the domain&apos;s CA issue a new certificate with the same name and role (into a new folder: pki issue replaces no file), then put it and its key in place of %1 and its key.</source>
        <translation>Lassen Sie von der CA der Domäne ein neues Zertifikat mit demselben Namen und derselben Rolle ausstellen (in einen neuen Ordner: pki issue ersetzt keine Datei), und ersetzen Sie dann %1 und seinen Schlüssel damit.</translation>
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
    <name>hostsec::ui::DiagnosisPane</name>
    <message>
        <source>Done: %1</source>
        <translation>Erledigt: %1</translation>
    </message>
    <message>
        <source>Failed: %1: %2</source>
        <translation>Fehlgeschlagen: %1: %2</translation>
    </message>
    <message>
        <source>&lt;p&gt;Nothing wrong found.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Keine Probleme gefunden.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Seit %1</translation>
    </message>
    <message>
        <source>What happened:</source>
        <translation>Was ist passiert:</translation>
    </message>
    <message>
        <source>Why:</source>
        <translation>Warum:</translation>
    </message>
    <message>
        <source>Recommended action:</source>
        <translation>Empfohlene Maßnahme:</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Run recommended action</source>
        <translation>Empfohlene Maßnahme ausführen</translation>
    </message>
    <message>
        <source>Diagnose now</source>
        <translation>Jetzt diagnostizieren</translation>
    </message>
    <message>
        <source>Diagnosis failed: %1</source>
        <translation>Diagnose fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s), checked at %1</source>
        <translation>
            <numerusform>%n Befund, geprüft um %1</numerusform>
            <numerusform>%n Befunde, geprüft um %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Not diagnosed yet</source>
        <translation>Noch nicht diagnostiziert</translation>
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
    <name>hostsec::ui::FindingModel</name>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Check by hand</source>
        <translation>Manuell prüfen</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Recommended action</source>
        <translation>Empfohlene Maßnahme</translation>
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
    <message>
        <source>%1 as %2 (%3)</source>
        <translation>%1 als %2 (%3)</translation>
    </message>
    <message>
        <source>Your certificate (%1) has the role %2: rebinding and resynchronizing need the role operator or admin.</source>
        <translation>Ihr Zertifikat (%1) hat die Rolle %2: Neu binden und neu synchronisieren erfordern die Rolle operator oder admin.</translation>
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
    <message>
        <source>Open a profile or start the demo domain first.</source>
        <translation>Öffnen Sie zuerst ein Profil oder starten Sie die Demo-Domäne.</translation>
    </message>
    <message>
        <source>A report is being written already.</source>
        <translation>Es wird bereits ein Bericht geschrieben.</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <source>Binding %1</source>
        <translation>Bindung %1</translation>
    </message>
    <message>
        <source>%1 has been %2 since %3. The Diagnosis panel says what to do.</source>
        <translation>%1 ist seit %3 %2. Der Bereich „Diagnose“ zeigt, was zu tun ist.</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>Bericht e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Write the domain&apos;s state, findings and event summary as HTML, PDF, CSV or JSON</source>
        <translation>Zustand, Befunde und Ereigniszusammenfassung der Domäne als HTML, PDF, CSV oder JSON schreiben</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>Diagnose</translation>
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
    <name>hostsec::ui::ReportDialog</name>
    <message>
        <source>Servers and topology</source>
        <translation>Server und Topologie</translation>
    </message>
    <message>
        <source>Bindings with errors and timelines</source>
        <translation>Bindungen mit Fehlern und Verläufen</translation>
    </message>
    <message>
        <source>Users by sync state</source>
        <translation>Benutzer nach Synchronisierungszustand</translation>
    </message>
    <message>
        <source>Pending password changes</source>
        <translation>Ausstehende Kennwortänderungen</translation>
    </message>
    <message>
        <source>Diagnosis findings</source>
        <translation>Diagnosebefunde</translation>
    </message>
    <message>
        <source>Event summary by id, server and hour</source>
        <translation>Ereigniszusammenfassung nach ID, Server und Stunde</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <source>HTML (one self-contained file)</source>
        <translation>HTML (eine eigenständige Datei)</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>CSV (a folder, one file per table)</source>
        <translation>CSV (ein Ordner, eine Datei pro Tabelle)</translation>
    </message>
    <message>
        <source>JSON (the snapshot, schema hostsec-report/1)</source>
        <translation>JSON (die Momentaufnahme, Schema hostsec-report/1)</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Abschnitte</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Events from:</source>
        <translation>Ereignisse von:</translation>
    </message>
    <message>
        <source>Events until:</source>
        <translation>Ereignisse bis:</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>Speichern unter:</translation>
    </message>
    <message>
        <source>Folder for the CSV files</source>
        <translation>Ordner für die CSV-Dateien</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Bericht speichern</translation>
    </message>
    <message>
        <source>Choose where to save the report.</source>
        <translation>Wählen Sie, wo der Bericht gespeichert werden soll.</translation>
    </message>
    <message>
        <source>Choose at least one section.</source>
        <translation>Wählen Sie mindestens einen Abschnitt.</translation>
    </message>
    <message>
        <source>The period&apos;s start must be before its end.</source>
        <translation>Der Beginn des Zeitraums muss vor seinem Ende liegen.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Der Ordner %1 ist nicht vorhanden.</translation>
    </message>
</context>
<context>
    <name>hostsec::ui::ReportExporter</name>
    <message>
        <source>Asking the agents for the domain&apos;s state…</source>
        <translation>Zustand der Domäne wird bei den Agenten abgefragt…</translation>
    </message>
    <message>
        <source>Cannot take a snapshot: %1</source>
        <translation>Momentaufnahme nicht möglich: %1</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>Export abgebrochen.</translation>
    </message>
    <message>
        <source>Diagnosing and summarising the history…</source>
        <translation>Verlauf wird diagnostiziert und zusammengefasst…</translation>
    </message>
    <message>
        <source>Cannot read the history database: %1</source>
        <translation>Die Verlaufsdatenbank kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Bericht wird geschrieben…</translation>
    </message>
    <message>
        <source>Cannot write the report: %1</source>
        <translation>Der Bericht kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Bericht geschrieben: %1</translation>
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
    <message>
        <source>The certificate %1 of %2 expires on %3 (in %4). Issue a new service certificate, put it in place and send hostsecd SIGHUP.</source>
        <translation>Das Zertifikat %1 von %2 läuft am %3 ab (in %4). Stellen Sie ein neues Dienstzertifikat aus, ersetzen Sie das alte damit und senden Sie hostsecd SIGHUP.</translation>
    </message>
    <message>
        <source>%1 serves the certificate %2, valid until %3.</source>
        <translation>%1 weist das Zertifikat %2 vor, gültig bis %3.</translation>
    </message>
    <message>
        <source>Certificate until</source>
        <translation>Zertifikat bis</translation>
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
    <message>
        <source>&amp;Notify when a binding stays broken longer than:</source>
        <translation>&amp;Benachrichtigen, wenn eine Bindung länger gestört bleibt als:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
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
