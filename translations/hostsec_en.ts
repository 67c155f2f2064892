<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>hostsec::ui::DiagnosisPane</name>
    <message numerus="yes">
        <source>%n finding(s), checked at %1</source>
        <translation><numerusform>%n finding, checked at %1</numerusform><numerusform>%n findings, checked at %1</numerusform></translation>
    </message>
</context>
<context>
    <name>hostsec::ui::EventsPane</name>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation><numerusform>%n event</numerusform><numerusform>%n events</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation><numerusform>%n new</numerusform><numerusform>%n new</numerusform></translation>
    </message>
</context>
<context>
    <name>hostsec::ui::Format</name>
    <message numerus="yes">
        <source>%n d</source>
        <translation><numerusform>%n d</numerusform><numerusform>%n d</numerusform></translation>
    </message>
</context>
<context>
    <name>hostsec::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n agent(s) unreachable</source>
        <translation><numerusform>%n agent unreachable</numerusform><numerusform>%n agents unreachable</numerusform></translation>
    </message>
</context>
<context>
    <name>hostsec::ui::Session</name>
    <message numerus="yes">
        <source>Rebinding %n binding(s) of %1.</source>
        <translation><numerusform>Rebinding %n binding of %1.</numerusform><numerusform>Rebinding %n bindings of %1.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Rebinding %n stale binding(s).</source>
        <translation><numerusform>Rebinding %n stale binding.</numerusform><numerusform>Rebinding %n stale bindings.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Resync %1 of %n user(s) started.</source>
        <translation><numerusform>Resync %1 of %n user started.</numerusform><numerusform>Resync %1 of %n users started.</numerusform></translation>
    </message>
</context>
<context>
    <name>hostsec::ui::UsersPane</name>
    <message numerus="yes">
        <source>%n user(s) so far</source>
        <translation><numerusform>%n user so far</numerusform><numerusform>%n users so far</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n user(s)</source>
        <translation><numerusform>%n user</numerusform><numerusform>%n users</numerusform></translation>
    </message>
</context>
</TS>
