<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL">
<context>
    <name>okh::AlertPlanner</name>
    <message>
        <source>%1 is down</source>
        <translation>%1 ligt eruit</translation>
    </message>
    <message>
        <source>%1 is out of rotation</source>
        <translation>%1 krijgt geen verkeer meer</translation>
    </message>
    <message>
        <source>%1 cannot be checked</source>
        <translation>%1 is niet te controleren</translation>
    </message>
    <message>
        <source>%1 is healthy again</source>
        <translation>%1 is weer gezond</translation>
    </message>
    <message numerus="yes">
        <source>%1 keeps changing: %n changes in a short time</source>
        <translation>
            <numerusform>%1 wisselt steeds: %n wisseling in korte tijd</numerusform>
            <numerusform>%1 wisselt steeds: %n wisselingen in korte tijd</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — explains %2</source>
        <translation>%1 — verklaart %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>okh::Autostart</name>
    <message>
        <source>cannot remove %1</source>
        <translation>kan %1 niet verwijderen</translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation>kan de map van %1 niet aanmaken</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>kan %1 niet schrijven: %2</translation>
    </message>
</context>
<context>
    <name>okh::CeleryCommands</name>
    <message>
        <source>Opposite of --%1.</source>
        <translation>Tegenovergestelde van --%1.</translation>
    </message>
    <message>
        <source>Invalid value for &apos;--%1&apos;: &apos;%2&apos; is not a valid integer.
</source>
        <translation>Ongeldige waarde voor &apos;--%1&apos;: &apos;%2&apos; is geen geldig geheel getal.
</translation>
    </message>
    <message>
        <source>Celery worker health check, a drop-in for `maykin-common worker-health-check`: event-loop liveness file, ping through the broker, readiness file. Exit 1: event loop, 2: ping, 4: not ready.</source>
        <translation>Gezondheidscontrole voor Celery-workers, drop-in-vervanging voor `maykin-common worker-health-check`: liveness-bestand van de event loop, ping via de broker, readiness-bestand. Exitcode 1: event loop, 2: ping, 4: niet gereed.</translation>
    </message>
    <message>
        <source>Event-loop liveness file.</source>
        <translation>Liveness-bestand van de event loop.</translation>
    </message>
    <message>
        <source>Maximum age of the liveness file in seconds.</source>
        <translation>Maximale leeftijd van het liveness-bestand in seconden.</translation>
    </message>
    <message>
        <source>Broker URL (must match CELERY_BROKER_URL).</source>
        <translation>Broker-URL (moet overeenkomen met CELERY_BROKER_URL).</translation>
    </message>
    <message>
        <source>Worker node name (default: CELERY_WORKER_NAME, else celery@&lt;hostname&gt;).</source>
        <translation>Nodenaam van de worker (standaard: CELERY_WORKER_NAME, anders celery@&lt;hostname&gt;).</translation>
    </message>
    <message>
        <source>Seconds to wait for the ping reply.</source>
        <translation>Aantal seconden wachten op het antwoord op de ping.</translation>
    </message>
    <message>
        <source>Readiness file.</source>
        <translation>Readiness-bestand.</translation>
    </message>
    <message>
        <source>Skip the liveness file check.</source>
        <translation>Controle van het liveness-bestand overslaan.</translation>
    </message>
    <message>
        <source>Skip the ping.</source>
        <translation>Ping overslaan.</translation>
    </message>
    <message>
        <source>Skip the readiness file check (skipped by default).</source>
        <translation>Controle van het readiness-bestand overslaan (standaard overgeslagen).</translation>
    </message>
    <message>
        <source>Invalid value for &apos;--broker&apos;: %1
</source>
        <translation>Ongeldige waarde voor &apos;--broker&apos;: %1
</translation>
    </message>
    <message>
        <source>hint: %1
</source>
        <translation>tip: %1
</translation>
    </message>
    <message>
        <source>Celery beat health check, a drop-in for `maykin-common beat-health-check`: the beat liveness file must be younger than --max-age.</source>
        <translation>Gezondheidscontrole voor Celery beat, drop-in-vervanging voor `maykin-common beat-health-check`: het liveness-bestand van beat moet jonger zijn dan --max-age.</translation>
    </message>
    <message>
        <source>Beat liveness file.</source>
        <translation>Liveness-bestand van beat.</translation>
    </message>
    <message>
        <source>Maximum age in seconds.</source>
        <translation>Maximale leeftijd in seconden.</translation>
    </message>
</context>
<context>
    <name>okh::CeleryPingProbe</name>
    <message>
        <source>the broker at %1</source>
        <translation>de broker op %1</translation>
    </message>
    <message>
        <source>no broker host or port configured</source>
        <translation>geen host of poort van de broker ingesteld</translation>
    </message>
    <message>
        <source>the ping through %1 did not complete within %2</source>
        <translation>de ping via %1 is niet binnen %2 voltooid</translation>
    </message>
    <message>
        <source>The broker itself is slow or frozen, or the check&apos;s timeout is shorter than its ping timeout plus a second for the broadcast.</source>
        <translation>De broker zelf is traag of hangt, of de time-out van de controle is korter dan de ping-time-out plus een seconde voor de broadcast.</translation>
    </message>
    <message>
        <source>no worker answered a broadcast ping within %1</source>
        <translation>geen worker heeft binnen %1 op een broadcast-ping geantwoord</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) answered: %1</source>
        <translation>
            <numerusform>%n worker antwoordde: %1</numerusform>
            <numerusform>%n workers antwoordden: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: PONG</source>
        <translation>%1: PONG</translation>
    </message>
    <message>
        <source>ping failed on %1</source>
        <translation>ping mislukt op %1</translation>
    </message>
    <message>
        <source>no reply to ping from &apos;%1&apos; after %2</source>
        <translation>geen antwoord op ping van &apos;%1&apos; na %2</translation>
    </message>
    <message>
        <source>Other workers do answer: %1. The name must match exactly (case-sensitive): check --worker-name / CELERY_WORKER_NAME; in containers the default celery@&lt;hostname&gt; is the container ID.</source>
        <translation>Andere workers antwoorden wel: %1. De naam moet exact overeenkomen (hoofdlettergevoelig): controleer --worker-name / CELERY_WORKER_NAME; in containers is de standaardnaam celery@&lt;hostname&gt; het container-ID.</translation>
    </message>
    <message>
        <source>No worker listens on %1 of this broker: the workers are down, use another broker or database number, or run with remote control disabled.</source>
        <translation>Geen worker luistert op %1 van deze broker: de workers zijn down, gebruiken een andere broker of een ander databasenummer, of draaien met remote control uitgeschakeld.</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) listen on the control channel but no worker answered: workers are frozen or their event loop is blocked by a long task (solo pool), or their broker subscription went stale.</source>
        <translation>
            <numerusform>%n client luistert op het control-kanaal, maar geen worker antwoordde: workers hangen of hun event loop wordt geblokkeerd door een lange taak (solo-pool), of hun abonnement op de broker is niet meer actief.</numerusform>
            <numerusform>%n clients luisteren op het control-kanaal, maar geen worker antwoordde: workers hangen of hun event loop wordt geblokkeerd door een lange taak (solo-pool), of hun abonnement op de broker is niet meer actief.</numerusform>
        </translation>
    </message>
    <message>
        <source>Workers registered on this broker (possibly stale): %1.</source>
        <translation>Workers die op deze broker geregistreerd staan (mogelijk verouderd): %1.</translation>
    </message>
    <message>
        <source>error: </source>
        <translation>fout: </translation>
    </message>
    <message>
        <source>The check&apos;s timeout (%1) ended the wait before the ping&apos;s own timeout (%2): give the check at least the ping timeout plus a second to tell a slow worker from a missing one.</source>
        <translation>De time-out van de controle (%1) beëindigde het wachten vóór de eigen time-out van de ping (%2): geef de controle minstens de ping-time-out plus een seconde om een trage worker van een ontbrekende te onderscheiden.</translation>
    </message>
</context>
<context>
    <name>okh::CheckStateMachine</name>
    <message>
        <source>no result yet</source>
        <translation>nog geen resultaat</translation>
    </message>
    <message>
        <source>monitor cannot run it</source>
        <translation>monitor kan deze niet uitvoeren</translation>
    </message>
    <message>
        <source>starting (failures do not count yet)</source>
        <translation>start op (fouten tellen nog niet mee)</translation>
    </message>
    <message>
        <source>failing %1/%2</source>
        <translation>faalt %1/%2</translation>
    </message>
    <message>
        <source>recovering %1/%2</source>
        <translation>herstelt %1/%2</translation>
    </message>
    <message>
        <source>passed; not run again</source>
        <translation>geslaagd; wordt niet opnieuw uitgevoerd</translation>
    </message>
</context>
<context>
    <name>okh::ChecksTableModel</name>
    <message>
        <source>liveness</source>
        <translation>liveness</translation>
    </message>
    <message>
        <source>readiness</source>
        <translation>readiness</translation>
    </message>
    <message>
        <source>startup</source>
        <translation>startup</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>no result yet</source>
        <translation>nog geen resultaat</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Controle</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Doel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Toestand</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>Laatste resultaat</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latentie</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Sinds</translation>
    </message>
</context>
<context>
    <name>okh::CommandLine</name>
    <message numerus="yes">
        <source>Error: Got unexpected extra argument(s) (%1)
</source>
        <translation>
            <numerusform>Fout: onverwachte extra parameter (%1)
</numerusform>
            <numerusform>Fout: onverwachte extra parameters (%1)
</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::CommandRunner</name>
    <message>
        <source>empty command</source>
        <translation>lege opdracht</translation>
    </message>
</context>
<context>
    <name>okh::ConnectionTester</name>
    <message>
        <source>&amp;Test Connection</source>
        <translation>Verbinding &amp;testen</translation>
    </message>
    <message>
        <source>Log in once with these settings; nothing is saved or trusted</source>
        <translation>Eenmaal inloggen met deze instellingen; niets wordt opgeslagen of vertrouwd</translation>
    </message>
    <message>
        <source>Correct the deployment first</source>
        <translation>Verbeter eerst de deployment</translation>
    </message>
    <message>
        <source>Logging in to %1@%2…</source>
        <translation>Inloggen op %1@%2…</translation>
    </message>
    <message>
        <source>Logged in to %1@%2. Host key: %3 %4.</source>
        <translation>Ingelogd op %1@%2. Hostsleutel: %3 %4.</translation>
    </message>
    <message>
        <source>The host offered %1 %2: compare it with ssh-keygen -lf on the host.</source>
        <translation>De host bood %1 %2 aan: vergelijk die met ssh-keygen -lf op de host.</translation>
    </message>
</context>
<context>
    <name>okh::DemoMenu</name>
    <message>
        <source>&amp;Demo</source>
        <translation>De&amp;mo</translation>
    </message>
    <message>
        <source>Starting the stand-in deployment…</source>
        <translation>De stand-in-deployment wordt gestart…</translation>
    </message>
    <message>
        <source>Stand-in deployment on this computer</source>
        <translation>Stand-in-deployment op deze computer</translation>
    </message>
    <message>
        <source>The stand-in deployment did not start</source>
        <translation>De stand-in-deployment is niet gestart</translation>
    </message>
    <message>
        <source>redis: the cache of the web app and the broker of the Celery worker</source>
        <translation>redis: de cache van de webapp en de broker van de Celery-worker</translation>
    </message>
    <message>
        <source>db: the PostgreSQL database of the web app and the worker</source>
        <translation>db: de PostgreSQL-database van de webapp en de worker</translation>
    </message>
    <message>
        <source>web: the Django app with maykin-common&apos;s health URLs</source>
        <translation>web: de Django-app met de health-URL&apos;s van maykin-common</translation>
    </message>
    <message>
        <source>celery: the Celery worker, writing its liveness and readiness files</source>
        <translation>celery: de Celery-worker, die zijn liveness- en readiness-bestanden schrijft</translation>
    </message>
    <message>
        <source>celery-flower: a stand-in for Flower, behind basic authentication</source>
        <translation>celery-flower: een stand-in voor Flower, achter basic authentication</translation>
    </message>
    <message>
        <source>nginx: in front of web, with the documentation&apos;s health locations</source>
        <translation>nginx: vóór web, met de health-locations uit de documentatie</translation>
    </message>
    <message>
        <source>Stopping %1…</source>
        <translation>%1 wordt gestopt…</translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation>%1 wordt gestart…</translation>
    </message>
    <message>
        <source>Stop %1</source>
        <translation>%1 stoppen</translation>
    </message>
    <message>
        <source>Start %1</source>
        <translation>%1 starten</translation>
    </message>
</context>
<context>
    <name>okh::DemoMode</name>
    <message>
        <source>Starting a stand-in Open Klant deployment on this computer…
%1</source>
        <translation>Een stand-in Open Klant-deployment wordt op deze computer gestart…
%1</translation>
    </message>
    <message>
        <source>Starting the stand-in deployment: %1…</source>
        <translation>De stand-in-deployment wordt gestart: %1…</translation>
    </message>
    <message>
        <source>The stand-in deployment is running; the Demo menu stops and starts its services.</source>
        <translation>De stand-in-deployment draait; het menu Demo stopt en start de services.</translation>
    </message>
    <message>
        <source>The stand-in deployment did not start</source>
        <translation>De stand-in-deployment is niet gestart</translation>
    </message>
    <message>
        <source>Use File → Open… (Ctrl+O) to open a deployment file.</source>
        <translation>Open een deploymentbestand met Bestand → Openen… (Ctrl+O).</translation>
    </message>
    <message>
        <source>%1 did not start</source>
        <translation>%1 is niet gestart</translation>
    </message>
    <message>
        <source>Starting a stand-in Open Klant deployment on this computer…</source>
        <translation>Een stand-in Open Klant-deployment wordt op deze computer gestart…</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentDraft</name>
    <message>
        <source>deployment</source>
        <translation>deployment</translation>
    </message>
    <message>
        <source>service</source>
        <translation>service</translation>
    </message>
    <message>
        <source>check</source>
        <translation>controle</translation>
    </message>
    <message numerus="yes">
        <source>Valid: %n service(s)</source>
        <translation>
            <numerusform>Geldig: %n service</numerusform>
            <numerusform>Geldig: %n services</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s)</source>
        <translation>
            <numerusform>%n controle</numerusform>
            <numerusform>%n controles</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::DeploymentEditor</name>
    <message>
        <source>New Deployment</source>
        <translation>Nieuwe deployment</translation>
    </message>
    <message>
        <source>Edit Deployment</source>
        <translation>Deployment bewerken</translation>
    </message>
    <message>
        <source>Services and checks</source>
        <translation>Services en controles</translation>
    </message>
    <message>
        <source>Add &amp;Service</source>
        <translation>&amp;Service toevoegen</translation>
    </message>
    <message>
        <source>Add &amp;Check</source>
        <translation>&amp;Controle toevoegen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Verwijderen</translation>
    </message>
    <message>
        <source>S&amp;how</source>
        <translation>&amp;Tonen</translation>
    </message>
    <message>
        <source>Go to the field the error is about</source>
        <translation>Naar het veld waar de fout over gaat</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Opslaan &amp;als…</translation>
    </message>
    <message>
        <source>%1 exists already: choose another name or Save As</source>
        <translation>%1 bestaat al: kies een andere naam of Opslaan als</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Controleren…</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <source>Service “%1”</source>
        <translation>Service “%1”</translation>
    </message>
    <message>
        <source>Service “%1”, check “%2”</source>
        <translation>Service “%1”, controle “%2”</translation>
    </message>
    <message>
        <source>a deployment named “%1” is already open from another file</source>
        <translation>een deployment met de naam “%1” is al geopend uit een ander bestand</translation>
    </message>
    <message>
        <source>Save Deployment As</source>
        <translation>Deployment opslaan als</translation>
    </message>
    <message>
        <source>Deployment files (*.json)</source>
        <translation>Deploymentbestanden (*.json)</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 opslaan…</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentFile</name>
    <message>
        <source>expected %1, got %2</source>
        <translation>verwacht %1, maar %2 gevonden</translation>
    </message>
    <message>
        <source>missing required key %1</source>
        <translation>verplicht veld %1 ontbreekt</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>een getal</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>een string</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>een array</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>een object</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>niets</translation>
    </message>
    <message>
        <source>%1 (expanded from %2)</source>
        <translation>%1 (na invullen van %2)</translation>
    </message>
    <message>
        <source>unknown key %1; did you mean %2?</source>
        <translation>onbekend veld %1; bedoelde u %2?</translation>
    </message>
    <message>
        <source>unknown key %1; expected one of: %2</source>
        <translation>onbekend veld %1; verwacht een van: %2</translation>
    </message>
    <message>
        <source>expected a name of letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; that starts with a letter or digit, got %1</source>
        <translation>verwacht een naam van letters, cijfers, &apos;.&apos;, &apos;_&apos; en &apos;-&apos; die met een letter of cijfer begint, maar %1 gevonden</translation>
    </message>
    <message>
        <source>unknown %1 %2; did you mean %3? (supported: %4)</source>
        <translation>%1 %2 is onbekend; bedoelde u %3? (ondersteund: %4)</translation>
    </message>
    <message>
        <source>unknown %1 %2 (supported: %3)</source>
        <translation>%1 %2 is onbekend (ondersteund: %3)</translation>
    </message>
    <message>
        <source>a whole number of at least %1</source>
        <translation>een geheel getal van minstens %1</translation>
    </message>
    <message>
        <source>a whole number from %1 to %2</source>
        <translation>een geheel getal van %1 tot en met %2</translation>
    </message>
    <message>
        <source>a duration like &quot;5s&quot; or a number of seconds</source>
        <translation>een duur zoals &quot;5s&quot; of een aantal seconden</translation>
    </message>
    <message>
        <source>expected a duration greater than zero, got %1</source>
        <translation>verwacht een duur groter dan nul, maar %1 gevonden</translation>
    </message>
    <message>
        <source>expected a host name or IP address, got %1</source>
        <translation>verwacht een hostnaam of IP-adres, maar %1 gevonden</translation>
    </message>
    <message>
        <source>a Redis URL like &quot;redis://redis:6379/0&quot;</source>
        <translation>een Redis-URL zoals &quot;redis://redis:6379/0&quot;</translation>
    </message>
    <message>
        <source>an array of worker names like [&quot;celery@docker&quot;] ([] for any worker)</source>
        <translation>een array van workernamen zoals [&quot;celery@docker&quot;] ([] voor elke worker)</translation>
    </message>
    <message>
        <source>a worker name</source>
        <translation>een workernaam</translation>
    </message>
    <message>
        <source>%1 is listed twice</source>
        <translation>%1 komt twee keer voor</translation>
    </message>
    <message>
        <source>a worker name cannot be empty; use [] to accept any worker</source>
        <translation>een workernaam mag niet leeg zijn; gebruik [] om elke worker te accepteren</translation>
    </message>
    <message>
        <source>%1 is not a full Celery node name (name@host); did you mean %2? A worker started with -n %3 is called %2</source>
        <translation>%1 is geen volledige Celery-nodenaam (naam@host); bedoelde u %2? Een worker die met -n %3 is gestart, heet %2</translation>
    </message>
    <message>
        <source>expected an absolute path (starting with /) inside the execution context, got %1; a relative path would depend on the working directory of the container</source>
        <translation>verwacht een absoluut pad (beginnend met /) binnen de uitvoeringscontext, maar %1 gevonden; een relatief pad zou afhangen van de werkmap van de container</translation>
    </message>
    <message>
        <source>a path cannot contain a NUL character</source>
        <translation>een pad mag geen NUL-teken bevatten</translation>
    </message>
    <message>
        <source>expected a whole number of seconds (file ages are compared in whole seconds), got %1</source>
        <translation>verwacht een geheel aantal seconden (bestandsleeftijden worden in hele seconden vergeleken), maar %1 gevonden</translation>
    </message>
    <message>
        <source>a basic-auth user name cannot contain &apos;:&apos;; give the part after &apos;:&apos; as &quot;password&quot; (Flower&apos;s --basic-auth=user:password)</source>
        <translation>een gebruikersnaam voor basic-auth mag geen &apos;:&apos; bevatten; geef het deel na &apos;:&apos; op als &quot;password&quot; (--basic-auth=user:password van Flower)</translation>
    </message>
    <message>
        <source>a password needs a &quot;user&quot;: HTTP basic authentication sends both</source>
        <translation>een wachtwoord vereist een &quot;user&quot;: HTTP basic authentication verstuurt beide</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>een van %1</translation>
    </message>
    <message>
        <source>execution context type</source>
        <translation>type uitvoeringscontext</translation>
    </message>
    <message>
        <source>key %1 does not apply to %2 contexts, which take only &quot;type&quot;</source>
        <translation>veld %1 geldt niet voor %2-contexten; die accepteren alleen &quot;type&quot;</translation>
    </message>
    <message>
        <source>key %1 does not apply to %2 contexts; they take: %3</source>
        <translation>veld %1 geldt niet voor %2-contexten; die accepteren: %3</translation>
    </message>
    <message>
        <source>the container&apos;s name or ID, as docker ps shows it</source>
        <translation>de naam of het ID van de container, zoals docker ps die toont</translation>
    </message>
    <message>
        <source>the service name in the compose file, e.g. &quot;celery&quot;</source>
        <translation>de naam van de dienst in het compose-bestand, bijv. &quot;celery&quot;</translation>
    </message>
    <message>
        <source>a compose file name</source>
        <translation>een compose-bestandsnaam</translation>
    </message>
    <message>
        <source>the pod&apos;s name, or a resource such as &quot;deploy/openklant-worker&quot;</source>
        <translation>de naam van de pod, of een resource zoals &quot;deploy/openklant-worker&quot;</translation>
    </message>
    <message>
        <source>%1, got %2</source>
        <translation>%1, maar %2 gevonden</translation>
    </message>
    <message>
        <source>expected a JSON object at the top level, like {&quot;version&quot;: 1, &quot;deployments&quot;: []}</source>
        <translation>verwacht een JSON-object op het hoogste niveau, zoals {&quot;version&quot;: 1, &quot;deployments&quot;: []}</translation>
    </message>
    <message>
        <source>this OK Health reads version %1</source>
        <translation>deze versie van OK Health leest versie %1</translation>
    </message>
    <message>
        <source>unsupported version %1; this OK Health reads version %2 files</source>
        <translation>niet-ondersteunde versie %1; deze versie van OK Health leest bestanden van versie %2</translation>
    </message>
    <message>
        <source>no deployments: add at least one</source>
        <translation>geen omgevingen: voeg er minstens één toe</translation>
    </message>
    <message>
        <source>a deployment object</source>
        <translation>een omgevingsobject</translation>
    </message>
    <message>
        <source>duplicate deployment name %1 (also at %2)</source>
        <translation>dubbele omgevingsnaam %1 (ook bij %2)</translation>
    </message>
    <message>
        <source>for example {&quot;type&quot;: &quot;direct&quot;}</source>
        <translation>bijvoorbeeld {&quot;type&quot;: &quot;direct&quot;}</translation>
    </message>
    <message>
        <source>a service object</source>
        <translation>een dienstobject</translation>
    </message>
    <message>
        <source>duplicate service name %1 (also at %2)</source>
        <translation>dubbele dienstnaam %1 (ook bij %2)</translation>
    </message>
    <message>
        <source>no services: add a &quot;profile&quot; or a &quot;services&quot; list</source>
        <translation>geen diensten: voeg een &quot;profile&quot; of een lijst &quot;services&quot; toe</translation>
    </message>
    <message>
        <source>supported: %1</source>
        <translation>ondersteund: %1</translation>
    </message>
    <message>
        <source>connection type</source>
        <translation>verbindingstype</translation>
    </message>
    <message>
        <source>key %1 applies to ssh connections (&quot;type&quot;: &quot;ssh&quot;); a direct connection takes only &quot;type&quot;</source>
        <translation>veld %1 geldt voor ssh-verbindingen (&quot;type&quot;: &quot;ssh&quot;); een directe verbinding accepteert alleen &quot;type&quot;</translation>
    </message>
    <message>
        <source>give either &quot;jump&quot; (one jump host) or &quot;jumps&quot; (a chain, the first reached directly), not both</source>
        <translation>geef &quot;jump&quot; (één jumphost) of &quot;jumps&quot; (een keten, de eerste direct bereikbaar) op, niet allebei</translation>
    </message>
    <message>
        <source>a jump host object like {&quot;host&quot;: &quot;bastion&quot;}</source>
        <translation>een jumphost-object zoals {&quot;host&quot;: &quot;bastion&quot;}</translation>
    </message>
    <message>
        <source>the ssh config gives %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there, or give &quot;jump&quot; or &quot;jumps&quot; here</source>
        <translation>de ssh-config geeft %1 een ProxyCommand (%2), dat OK Health niet kan uitvoeren; gebruik daar ProxyJump, of geef hier &quot;jump&quot; of &quot;jumps&quot; op</translation>
    </message>
    <message>
        <source>SSH passwords are not supported: OK Health logs in with keys only (the agent, then &quot;identityFiles&quot;); install a public key on the server (ssh-copy-id) and, for a key with a passphrase, load it into ssh-agent</source>
        <translation>SSH-wachtwoorden worden niet ondersteund: OK Health logt alleen in met sleutels (eerst de agent, dan &quot;identityFiles&quot;); installeer een publieke sleutel op de server (ssh-copy-id) en laad een sleutel met wachtwoordzin in ssh-agent</translation>
    </message>
    <message>
        <source>key passphrases are never stored: OK Health asks for one when a key needs it; for unattended runs, load the key into ssh-agent (ssh-add) and keep &quot;useAgent&quot; on</source>
        <translation>wachtwoordzinnen van sleutels worden nooit opgeslagen: OK Health vraagt erom wanneer een sleutel er een nodig heeft; laad voor onbeheerde runs de sleutel in ssh-agent (ssh-add) en laat &quot;useAgent&quot; aan staan</translation>
    </message>
    <message>
        <source>in the ssh config: %1</source>
        <translation>in de ssh-config: %1</translation>
    </message>
    <message>
        <source>a jump host cannot have jump hosts of its own here; list the whole chain in the connection&apos;s &quot;jumps&quot;, the first reached directly</source>
        <translation>een jumphost kan hier geen eigen jumphosts hebben; zet de hele keten in &quot;jumps&quot; van de verbinding, de eerste direct bereikbaar</translation>
    </message>
    <message>
        <source>key %1 applies to the whole connection; give it next to the connection&apos;s &quot;type&quot;</source>
        <translation>veld %1 geldt voor de hele verbinding; geef het op naast &quot;type&quot; van de verbinding</translation>
    </message>
    <message>
        <source>the SSH server&apos;s name or address, or a Host alias of the ssh config</source>
        <translation>de naam of het adres van de SSH-server, of een Host-alias uit de ssh-config</translation>
    </message>
    <message>
        <source>expected a user name without spaces that does not start with &apos;-&apos;, got %1</source>
        <translation>verwacht een gebruikersnaam zonder spaties die niet met &apos;-&apos; begint, maar %1 gevonden</translation>
    </message>
    <message>
        <source>expected a host name, an IP address or a Host alias of the ssh config, got %1</source>
        <translation>verwacht een hostnaam, een IP-adres of een Host-alias uit de ssh-config, maar %1 gevonden</translation>
    </message>
    <message>
        <source>expected a host name without a user, got %1; give the user as &quot;user&quot;: %2</source>
        <translation>verwacht een hostnaam zonder gebruiker, maar %1 gevonden; geef de gebruiker op als &quot;user&quot;: %2</translation>
    </message>
    <message>
        <source>expected a host name without a port, got %1; give the port as &quot;port&quot;: %2</source>
        <translation>verwacht een hostnaam zonder poort, maar %1 gevonden; geef de poort op als &quot;port&quot;: %2</translation>
    </message>
    <message>
        <source>HostName %1 (ssh config %2): only %h and %% may be used there</source>
        <translation>HostName %1 (ssh-config %2): daar zijn alleen %h en %% toegestaan</translation>
    </message>
    <message>
        <source>HostName %1 (ssh config %2) is not a host name or IP address</source>
        <translation>HostName %1 (ssh-config %2) is geen hostnaam of IP-adres</translation>
    </message>
    <message>
        <source>%1 is neither a host name or IP address nor a Host alias of the ssh config</source>
        <translation>%1 is geen hostnaam, geen IP-adres en geen Host-alias uit de ssh-config</translation>
    </message>
    <message>
        <source>%1 (ssh config %2): %3</source>
        <translation>%1 (ssh-config %2): %3</translation>
    </message>
    <message>
        <source>StrictHostKeyChecking %1 (ssh config %2) is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; set &quot;hostKeyPolicy&quot;: &quot;accept-new&quot; to add unknown keys on first contact, or &quot;strict&quot;</source>
        <translation>StrictHostKeyChecking %1 (ssh-config %2) wordt geweigerd: OK Health controleert hostsleutels altijd, zodat een gewijzigde sleutel (een opnieuw geïnstalleerde server, of iemand ertussen) nooit wordt geaccepteerd; stel &quot;hostKeyPolicy&quot;: &quot;accept-new&quot; in om onbekende sleutels bij het eerste contact toe te voegen, of &quot;strict&quot;</translation>
    </message>
    <message>
        <source>ProxyJump (ssh config %1): %2</source>
        <translation>ProxyJump (ssh-config %1): %2</translation>
    </message>
    <message>
        <source>jump host %1 (ProxyJump in ssh config %2)</source>
        <translation>jumphost %1 (ProxyJump in ssh-config %2)</translation>
    </message>
    <message>
        <source>the ssh config gives jump host %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there</source>
        <translation>de ssh-config geeft jumphost %1 een ProxyCommand (%2), dat OK Health niet kan uitvoeren; gebruik daar ProxyJump</translation>
    </message>
    <message>
        <source>the ssh config&apos;s ProxyJump lines form a loop: %1</source>
        <translation>de ProxyJump-regels in de ssh-config vormen een lus: %1</translation>
    </message>
    <message>
        <source>host key policy %1 is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; use &quot;strict&quot; (the key must be in known_hosts) or &quot;accept-new&quot; (an unknown key is added on first contact, a changed one is still refused)</source>
        <translation>hostsleutelbeleid %1 wordt geweigerd: OK Health controleert hostsleutels altijd, zodat een gewijzigde sleutel (een opnieuw geïnstalleerde server, of iemand ertussen) nooit wordt geaccepteerd; gebruik &quot;strict&quot; (de sleutel moet in known_hosts staan) of &quot;accept-new&quot; (een onbekende sleutel wordt bij het eerste contact toegevoegd, een gewijzigde wordt nog steeds geweigerd)</translation>
    </message>
    <message>
        <source>unknown host key policy %1; OpenSSH&apos;s StrictHostKeyChecking %2 is &quot;strict&quot; here (supported: strict, accept-new)</source>
        <translation>onbekend hostsleutelbeleid %1; StrictHostKeyChecking %2 van OpenSSH heet hier &quot;strict&quot; (ondersteund: strict, accept-new)</translation>
    </message>
    <message>
        <source>an array of private key files like [&quot;~/.ssh/id_ed25519&quot;]</source>
        <translation>een array van privésleutelbestanden zoals [&quot;~/.ssh/id_ed25519&quot;]</translation>
    </message>
    <message>
        <source>no key files: give at least one, or leave &quot;%1&quot; out for ssh&apos;s defaults (~/.ssh/id_ed25519, id_ecdsa, id_rsa)</source>
        <translation>geen sleutelbestanden: geef er minstens één op, of laat &quot;%1&quot; weg voor de standaardbestanden van ssh (~/.ssh/id_ed25519, id_ecdsa, id_rsa)</translation>
    </message>
    <message>
        <source>a private key file</source>
        <translation>een privésleutelbestand</translation>
    </message>
    <message>
        <source>%1 is not a file</source>
        <translation>%1 is geen bestand</translation>
    </message>
    <message>
        <source>no such private key file: %1</source>
        <translation>privésleutelbestand bestaat niet: %1</translation>
    </message>
    <message>
        <source>expected an absolute path or one starting with ~/, got %1; a relative path would depend on the directory OK Health is started in</source>
        <translation>verwacht een absoluut pad of een pad dat met ~/ begint, maar %1 gevonden; een relatief pad zou afhangen van de map waarin OK Health wordt gestart</translation>
    </message>
    <message>
        <source>expected true or false, got %1</source>
        <translation>verwacht true of false, maar %1 gevonden</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true of false</translation>
    </message>
    <message>
        <source>expected a whole number of seconds (SSH keepalives and connect timeouts are set in seconds), got %1</source>
        <translation>verwacht een geheel aantal seconden (SSH-keepalives en verbindingstime-outs worden in seconden ingesteld), maar %1 gevonden</translation>
    </message>
    <message>
        <source>profile</source>
        <translation>profiel</translation>
    </message>
    <message>
        <source>&quot;openklant&quot; or a profile object</source>
        <translation>&quot;openklant&quot; of een profielobject</translation>
    </message>
    <message>
        <source>a profile service name</source>
        <translation>een dienstnaam uit het profiel</translation>
    </message>
    <message>
        <source>%1 is not a service of the profile (services: %2)</source>
        <translation>%1 is geen dienst van het profiel (diensten: %2)</translation>
    </message>
    <message>
        <source>did you mean %1?</source>
        <translation>bedoelde u %1?</translation>
    </message>
    <message>
        <source>service %1 is configured here but excluded in &quot;exclude&quot;</source>
        <translation>dienst %1 wordt hier geconfigureerd, maar is uitgesloten in &quot;exclude&quot;</translation>
    </message>
    <message>
        <source>give either &quot;workerName&quot; or &quot;workers&quot;, not both</source>
        <translation>geef &quot;workerName&quot; of &quot;workers&quot; op, niet allebei</translation>
    </message>
    <message>
        <source>give either &quot;url&quot; or host/port/user/password/db, not both</source>
        <translation>geef &quot;url&quot; of host/port/user/password/db op, niet allebei</translation>
    </message>
    <message>
        <source>service kind</source>
        <translation>dienstsoort</translation>
    </message>
    <message>
        <source>a service name</source>
        <translation>een dienstnaam</translation>
    </message>
    <message>
        <source>a service cannot depend on itself</source>
        <translation>een dienst kan niet van zichzelf afhangen</translation>
    </message>
    <message>
        <source>a check object</source>
        <translation>een controle-object</translation>
    </message>
    <message>
        <source>duplicate check name %1 (also at %2)</source>
        <translation>dubbele controlenaam %1 (ook bij %2)</translation>
    </message>
    <message>
        <source>service %1 has no checks; add at least one to &quot;checks&quot;</source>
        <translation>dienst %1 heeft geen controles; voeg er minstens één toe aan &quot;checks&quot;</translation>
    </message>
    <message>
        <source>check type</source>
        <translation>controletype</translation>
    </message>
    <message>
        <source>key %1 does not apply to %2 checks; they take: %3</source>
        <translation>veld %1 geldt niet voor %2-controles; die accepteren: %3</translation>
    </message>
    <message>
        <source>role</source>
        <translation>rol</translation>
    </message>
    <message>
        <source>liveness, readiness, startup or info</source>
        <translation>liveness, readiness, startup of info</translation>
    </message>
    <message>
        <source>successThreshold must be 1 for %1 checks (a Kubernetes rule), got %2</source>
        <translation>successThreshold moet 1 zijn voor %1-controles (een Kubernetes-regel), maar is %2</translation>
    </message>
    <message>
        <source>a Redis URL like &quot;redis://redis:6379/0&quot;, the workers&apos; CELERY_BROKER_URL</source>
        <translation>een Redis-URL zoals &quot;redis://redis:6379/0&quot;, de CELERY_BROKER_URL van de workers</translation>
    </message>
    <message>
        <source>the control exchange cannot be empty; Celery&apos;s default is &quot;celery&quot;</source>
        <translation>de control-exchange mag niet leeg zijn; de standaardwaarde van Celery is &quot;celery&quot;</translation>
    </message>
    <message>
        <source>the event exchange cannot be empty; Celery&apos;s default is &quot;celeryev&quot;</source>
        <translation>de event-exchange mag niet leeg zijn; de standaardwaarde van Celery is &quot;celeryev&quot;</translation>
    </message>
    <message>
        <source>an absolute path like &quot;/app/tmp/celery_worker.ready&quot;</source>
        <translation>een absoluut pad zoals &quot;/app/tmp/celery_worker.ready&quot;</translation>
    </message>
    <message>
        <source>expected an array of strings, got a string: the command runs without a shell, so give the program and each argument as separate strings, e.g. [&quot;redis-cli&quot;, &quot;ping&quot;] for redis-cli ping (for shell syntax, run [&quot;sh&quot;, &quot;-c&quot;, &quot;…&quot;])</source>
        <translation>verwacht een array van strings, maar een string gevonden: de opdracht draait zonder shell, dus geef het programma en elk argument als afzonderlijke strings op, bijv. [&quot;redis-cli&quot;, &quot;ping&quot;] voor redis-cli ping (voor shell-syntaxis: [&quot;sh&quot;, &quot;-c&quot;, &quot;…&quot;])</translation>
    </message>
    <message>
        <source>an array of strings (the program and its arguments)</source>
        <translation>een array van strings (het programma en zijn argumenten)</translation>
    </message>
    <message>
        <source>the command is empty; give at least the program to run</source>
        <translation>de opdracht is leeg; geef ten minste het uit te voeren programma op</translation>
    </message>
    <message>
        <source>a command argument cannot contain a NUL character</source>
        <translation>een argument van de opdracht mag geen NUL-teken bevatten</translation>
    </message>
    <message>
        <source>the program name cannot be empty</source>
        <translation>de programmanaam mag niet leeg zijn</translation>
    </message>
    <message>
        <source>the program name cannot start with &apos;-&apos;</source>
        <translation>de programmanaam mag niet met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>an array like [&quot;redis-cli&quot;, &quot;ping&quot;]</source>
        <translation>een array zoals [&quot;redis-cli&quot;, &quot;ping&quot;]</translation>
    </message>
    <message>
        <source>; set &quot;timeout&quot; (the default is %1)</source>
        <translation>; stel &quot;timeout&quot; in (de standaardwaarde is %1)</translation>
    </message>
    <message>
        <source>a broadcast ping collects replies until none has come for pingTimeout (%1), then removes its reply queue</source>
        <translation>een broadcast-ping verzamelt antwoorden tot er gedurende pingTimeout (%1) geen meer is gekomen, en verwijdert daarna zijn antwoordwachtrij</translation>
    </message>
    <message>
        <source>when a named worker stays silent for pingTimeout (%1), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue</source>
        <translation>als een genoemde worker gedurende pingTimeout (%1) stil blijft, stuurt de controle nog 1 s een broadcast-ping om de workers te noemen die wel antwoorden, en verwijdert daarna zijn antwoordwachtrij</translation>
    </message>
    <message>
        <source>the check&apos;s timeout (%1) must be at least pingTimeout + 1 s (%2): %3%4</source>
        <translation>de time-out van de controle (%1) moet minstens pingTimeout + 1 s (%2) zijn: %3%4</translation>
    </message>
    <message>
        <source>listen (%1) must be shorter than the check&apos;s timeout (%2): the check listens that long and must still finish in time%3</source>
        <translation>listen (%1) moet korter zijn dan de time-out van de controle (%2): de controle luistert zo lang en moet toch op tijd klaar zijn%3</translation>
    </message>
    <message>
        <source>expected an absolute http:// or https:// URL, got %1</source>
        <translation>verwacht een absolute http://- of https://-URL, maar %1 gevonden</translation>
    </message>
    <message>
        <source>an absolute http:// or https:// URL</source>
        <translation>een absolute http://- of https://-URL</translation>
    </message>
    <message>
        <source>expected a host name, optionally with :port, got %1</source>
        <translation>verwacht een hostnaam, eventueel met :poort, maar %1 gevonden</translation>
    </message>
    <message>
        <source>expectation</source>
        <translation>verwachting</translation>
    </message>
    <message>
        <source>%1 is not a valid HTTP header name</source>
        <translation>%1 is geen geldige naam voor een HTTP-header</translation>
    </message>
    <message>
        <source>set the Host header with &quot;hostHeader&quot;</source>
        <translation>stel de Host-header in met &quot;hostHeader&quot;</translation>
    </message>
    <message>
        <source>a header value cannot contain line breaks</source>
        <translation>een headerwaarde mag geen regeleinden bevatten</translation>
    </message>
    <message>
        <source>service %1 depends on %2, which is not a service of this deployment (services: %3)</source>
        <translation>dienst %1 hangt af van %2, maar dat is geen dienst van deze omgeving (diensten: %3)</translation>
    </message>
    <message>
        <source>dependency cycle: %1</source>
        <translation>cyclische afhankelijkheid: %1</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>kan het bestand niet lezen: %1</translation>
    </message>
    <message>
        <source>the file is larger than 16 MiB; is it a deployment file?</source>
        <translation>het bestand is groter dan 16 MiB; is het wel een omgevingsbestand?</translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation>ongeldige JSON: %1</translation>
    </message>
    <message>
        <source>duplicate key (JSON would silently keep only the last one)</source>
        <translation>dubbel veld (JSON zou stilzwijgend alleen het laatste bewaren)</translation>
    </message>
    <message>
        <source>unknown host key policy %1; did you mean %2? (supported: strict, accept-new)</source>
        <translation>onbekend hostsleutelbeleid %1; bedoelde u %2? (ondersteund: strict, accept-new)</translation>
    </message>
    <message>
        <source>unknown host key policy %1 (supported: strict, accept-new; host keys are always verified)</source>
        <translation>onbekend hostsleutelbeleid %1 (ondersteund: strict, accept-new; hostsleutels worden altijd gecontroleerd)</translation>
    </message>
    <message>
        <source>UserKnownHostsFile none (ssh config %1) is refused: OK Health always checks host keys against a known_hosts file; give one with &quot;knownHostsFile&quot;</source>
        <translation>UserKnownHostsFile none (ssh-config %1) wordt geweigerd: OK Health controleert hostsleutels altijd tegen een known_hosts-bestand; geef er een op met &quot;knownHostsFile&quot;</translation>
    </message>
    <message>
        <source>UserKnownHostsFile %1 (ssh config %2): %3</source>
        <translation>UserKnownHostsFile %1 (ssh-config %2): %3</translation>
    </message>
    <message>
        <source>a relative known_hosts path would depend on the directory OK Health is started in; give an absolute one</source>
        <translation>een relatief known_hosts-pad zou afhangen van de map waarin OK Health wordt gestart; geef een absoluut pad</translation>
    </message>
    <message>
        <source>%1 is not a regular file: no host key could ever be found in it, and with accept-new every key would be accepted; give a real known_hosts file</source>
        <translation>%1 is geen gewoon bestand: er kan nooit een hostsleutel in gevonden worden, en met accept-new zou elke sleutel geaccepteerd worden; geef een echt known_hosts-bestand</translation>
    </message>
    <message>
        <source>the URL has an &apos;@&apos; after the host; if the password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos;, percent-encode them (%2F, %3F, %23)</source>
        <translation>de URL bevat een &apos;@&apos; na de host; als het wachtwoord &apos;/&apos;, &apos;?&apos; of &apos;#&apos; bevat, codeer die dan met procentcodering (%2F, %3F, %23)</translation>
    </message>
    <message>
        <source>a component name cannot be empty</source>
        <translation>een componentnaam kan niet leeg zijn</translation>
    </message>
    <message>
        <source>component %1 stands for %2, which is not a service of this deployment (services: %3)</source>
        <translation>component %1 staat voor %2, maar dat is geen dienst van deze omgeving (diensten: %3)</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentModel</name>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>no result yet</source>
        <translation>nog geen resultaat</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>gezond</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>ongezond</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>onbekend</translation>
    </message>
    <message>
        <source>cannot reach deployment: %1</source>
        <translation>deployment niet bereikbaar: %1</translation>
    </message>
    <message>
        <source>%1 is failing</source>
        <translation>%1 faalt</translation>
    </message>
    <message>
        <source>%1 is failing (%2)</source>
        <translation>%1 faalt (%2)</translation>
    </message>
    <message>
        <source> — explains %1</source>
        <translation> — verklaart %1</translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>oorzaak: %1</translation>
    </message>
    <message>
        <source>consequence of %1: %2</source>
        <translation>gevolg van %1: %2</translation>
    </message>
    <message>
        <source>Paused until %1: no checks run until then.</source>
        <translation>Gepauzeerd tot %1: tot dan draaien er geen controles.</translation>
    </message>
    <message>
        <source>Paused: no checks run until you resume.</source>
        <translation>Gepauzeerd: er draaien geen controles tot je hervat.</translation>
    </message>
    <message>
        <source>Maintenance window until %1: notifications are muted.</source>
        <translation>Onderhoudsvenster tot %1: meldingen staan uit.</translation>
    </message>
    <message>
        <source>%1; acknowledged by %2</source>
        <translation>%1; bevestigd door %2</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentPage</name>
    <message>
        <source>Services of %1</source>
        <translation>Services van %1</translation>
    </message>
    <message>
        <source>Paused: no checks run until you resume.</source>
        <translation>Gepauzeerd: er draaien geen controles tot je hervat.</translation>
    </message>
    <message>
        <source>Root cause: %1</source>
        <translation>Oorzaak: %1</translation>
    </message>
    <message>
        <source>All services healthy.</source>
        <translation>Alle services gezond.</translation>
    </message>
    <message>
        <source>Waiting for results…</source>
        <translation>Wachten op resultaten…</translation>
    </message>
    <message>
        <source>Checks of %1 (%2)</source>
        <translation>Controles van %1 (%2)</translation>
    </message>
    <message>
        <source>Select a service to see its checks.</source>
        <translation>Kies een service om de controles te zien.</translation>
    </message>
    <message>
        <source>Check %1 Now</source>
        <translation>%1 nu controleren</translation>
    </message>
    <message>
        <source>Check Every Service of %1 Now</source>
        <translation>Alle services van %1 nu controleren</translation>
    </message>
    <message>
        <source>Copy Details as Markdown</source>
        <translation>Details kopiëren als Markdown</translation>
    </message>
    <message numerus="yes">
        <source>No service of %1 matches the filter; %n service(s) hidden.</source>
        <translation>
            <numerusform>Geen service van %1 past bij het filter; %n service verborgen.</numerusform>
            <numerusform>Geen service van %1 past bij het filter; %n services verborgen.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>His&amp;tory</source>
        <translation>&amp;Geschiedenis</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentSaver</name>
    <message>
        <source>%1: cannot save: %2</source>
        <translation>%1: kan niet opslaan: %2</translation>
    </message>
    <message>
        <source>%1: not saved, the passwords could not be stored: %2</source>
        <translation>%1: niet opgeslagen, de wachtwoorden konden niet worden bewaard: %2</translation>
    </message>
    <message>
        <source>cannot create its directory</source>
        <translation>kan de map niet aanmaken</translation>
    </message>
</context>
<context>
    <name>okh::DesktopNotifier</name>
    <message>
        <source>Show</source>
        <translation>Tonen</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Bevestigen</translation>
    </message>
</context>
<context>
    <name>okh::DetailLabel</name>
    <message>
        <source>component %1</source>
        <translation>onderdeel %1</translation>
    </message>
    <message>
        <source>worker %1</source>
        <translation>worker %1</translation>
    </message>
    <message>
        <source>age (seconds)</source>
        <translation>leeftijd (seconden)</translation>
    </message>
    <message>
        <source>body</source>
        <translation>inhoud</translation>
    </message>
    <message>
        <source>body truncated</source>
        <translation>inhoud ingekort</translation>
    </message>
    <message>
        <source>command</source>
        <translation>opdracht</translation>
    </message>
    <message>
        <source>runs in</source>
        <translation>draait in</translation>
    </message>
    <message>
        <source>error</source>
        <translation>fout</translation>
    </message>
    <message>
        <source>exit code</source>
        <translation>afsluitcode</translation>
    </message>
    <message>
        <source>redirects to</source>
        <translation>verwijst door naar</translation>
    </message>
    <message>
        <source>outcome</source>
        <translation>uitkomst</translation>
    </message>
    <message>
        <source>output</source>
        <translation>uitvoer</translation>
    </message>
    <message>
        <source>path</source>
        <translation>pad</translation>
    </message>
    <message>
        <source>peer address</source>
        <translation>adres van de tegenpartij</translation>
    </message>
    <message>
        <source>stage</source>
        <translation>fase</translation>
    </message>
    <message>
        <source>the probe said</source>
        <translation>de controle meldde</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>antwoord</translation>
    </message>
    <message>
        <source>server</source>
        <translation>server</translation>
    </message>
    <message>
        <source>server message</source>
        <translation>servermelding</translation>
    </message>
    <message>
        <source>SQLSTATE</source>
        <translation>SQLSTATE</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP-status</translation>
    </message>
    <message>
        <source>error output</source>
        <translation>foutuitvoer</translation>
    </message>
    <message>
        <source>subscribers</source>
        <translation>abonnees</translation>
    </message>
    <message>
        <source>reply from %1</source>
        <translation>antwoord van %1</translation>
    </message>
    <message>
        <source>header %1</source>
        <translation>header %1</translation>
    </message>
</context>
<context>
    <name>okh::Durations</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 uur</translation>
    </message>
</context>
<context>
    <name>okh::ExecContext</name>
    <message>
        <source>docker: a container name is required and must not start with &apos;-&apos;</source>
        <translation>docker: een containernaam is verplicht en mag niet met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>compose: a service name is required and must not start with &apos;-&apos;</source>
        <translation>compose: een dienstnaam is verplicht en mag niet met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>compose: the project directory must not start with &apos;-&apos;</source>
        <translation>compose: de projectmap mag niet met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>compose: file names must not be empty or start with &apos;-&apos;</source>
        <translation>compose: bestandsnamen mogen niet leeg zijn of met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>kubectl: a pod name is required and must not start with &apos;-&apos;</source>
        <translation>kubectl: een podnaam is verplicht en mag niet met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>kubectl: container, namespace and context must not start with &apos;-&apos;</source>
        <translation>kubectl: container, namespace en context mogen niet met &apos;-&apos; beginnen</translation>
    </message>
    <message>
        <source>this machine</source>
        <translation>deze machine</translation>
    </message>
</context>
<context>
    <name>okh::ExecProbe</name>
    <message>
        <source>cannot run %1: %2</source>
        <translation>kan %1 niet uitvoeren: %2</translation>
    </message>
    <message>
        <source>Install the client (docker, kubectl) on the monitor&apos;s machine, or check the command in the deployment file.</source>
        <translation>Installeer de client (docker, kubectl) op de machine van de monitor, of controleer de opdracht in het omgevingsbestand.</translation>
    </message>
    <message>
        <source>cannot reach the container runtime: %1</source>
        <translation>kan de container-runtime niet bereiken: %1</translation>
    </message>
    <message>
        <source>The monitor cannot talk to Docker or Kubernetes (daemon down, cluster unreachable, wrong kubeconfig context); this says nothing about the service.</source>
        <translation>De monitor kan niet met Docker of Kubernetes communiceren (daemon down, cluster onbereikbaar, verkeerde kubeconfig-context); dit zegt niets over de dienst.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The container is not running (or has another name): check `docker ps -a` or `kubectl get pods`.</source>
        <translation>De container draait niet (of heeft een andere naam): controleer `docker ps -a` of `kubectl get pods`.</translation>
    </message>
    <message>
        <source>no command configured</source>
        <translation>geen opdracht ingesteld</translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation>%1 is gecrasht</translation>
    </message>
    <message>
        <source>redis-cli ping exited 0 without PONG: %1</source>
        <translation>redis-cli ping eindigde met exitcode 0 zonder PONG: %1</translation>
    </message>
    <message>
        <source>redis-cli&apos;s exit code only reports connection failures; an error reply such as NOAUTH still exits 0.</source>
        <translation>De exitcode van redis-cli meldt alleen verbindingsfouten; bij een foutantwoord zoals NOAUTH is de exitcode nog steeds 0.</translation>
    </message>
    <message>
        <source>exit 0: %1</source>
        <translation>exitcode 0: %1</translation>
    </message>
    <message>
        <source>exit %1: %2</source>
        <translation>exitcode %1: %2</translation>
    </message>
    <message>
        <source>The deployment&apos;s SSH connection could not run the command; this says nothing about the service.</source>
        <translation>De SSH-verbinding van de omgeving kon de opdracht niet uitvoeren; dit zegt niets over de dienst.</translation>
    </message>
</context>
<context>
    <name>okh::ExitCodeMeaning</name>
    <message>
        <source>the command was found but could not be run (permissions)</source>
        <translation>de opdracht is gevonden maar kon niet worden uitgevoerd (rechten)</translation>
    </message>
    <message>
        <source>command not found in the container or on the host</source>
        <translation>opdracht niet gevonden in de container of op de host</translation>
    </message>
    <message>
        <source>event-loop liveness failed: the liveness file is missing or older than max-age (the worker&apos;s event loop is blocked or the worker is down)</source>
        <translation>liveness van de event loop mislukt: het liveness-bestand ontbreekt of is ouder dan max-age (de event loop van de worker is geblokkeerd of de worker is down)</translation>
    </message>
    <message>
        <source>the worker did not answer the ping through the broker</source>
        <translation>de worker heeft niet geantwoord op de ping via de broker</translation>
    </message>
    <message>
        <source>the readiness file is missing: the worker is not ready</source>
        <translation>het readiness-bestand ontbreekt: de worker is niet gereed</translation>
    </message>
    <message>
        <source>beat&apos;s liveness file is missing or older than max-age: beat has not scheduled a task recently</source>
        <translation>het liveness-bestand van beat ontbreekt of is ouder dan max-age: beat heeft recent geen taak ingepland</translation>
    </message>
    <message>
        <source>the HTTP endpoint is down or answered with an error status</source>
        <translation>het HTTP-endpoint is down of antwoordde met een foutstatus</translation>
    </message>
    <message>
        <source>rejecting connections (starting up, shutting down or in recovery)</source>
        <translation>weigert verbindingen (start op, sluit af of is in herstel)</translation>
    </message>
    <message>
        <source>no response</source>
        <translation>geen antwoord</translation>
    </message>
    <message>
        <source>no attempt: invalid parameters</source>
        <translation>geen poging: ongeldige parameters</translation>
    </message>
</context>
<context>
    <name>okh::FailureEvidence</name>
    <message>
        <source>not answering on %1</source>
        <translation>antwoordt niet op %1</translation>
    </message>
    <message>
        <source>its host name does not resolve (%1)</source>
        <translation>de hostnaam is niet op te zoeken (%1)</translation>
    </message>
    <message>
        <source>no connection to %1 in time</source>
        <translation>geen verbinding met %1 binnen de tijd</translation>
    </message>
    <message>
        <source>%1 closes connections without answering</source>
        <translation>%1 sluit verbindingen zonder te antwoorden</translation>
    </message>
    <message>
        <source>its container is not running (%1)</source>
        <translation>de container draait niet (%1)</translation>
    </message>
    <message>
        <source>%1 cannot reach the broker at %2</source>
        <translation>%1 bereikt de broker op %2 niet</translation>
    </message>
    <message>
        <source>%1: %2 accepts connections but does not answer in time</source>
        <translation>%1: %2 neemt verbindingen aan maar antwoordt niet op tijd</translation>
    </message>
    <message>
        <source>%1 names %2</source>
        <translation>%1 noemt %2</translation>
    </message>
    <message>
        <source>%1 reports %2 failing</source>
        <translation>%1 meldt dat %2 faalt</translation>
    </message>
    <message>
        <source>%1: HTTP %2 from the proxy</source>
        <translation>%1: HTTP %2 van de proxy</translation>
    </message>
    <message>
        <source>%1: HTTP %2</source>
        <translation>%1: HTTP %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>okh::FailureReport</name>
    <message>
        <source>liveness</source>
        <translation>liveness</translation>
    </message>
    <message>
        <source>readiness</source>
        <translation>readiness</translation>
    </message>
    <message>
        <source>startup</source>
        <translation>opstart</translation>
    </message>
    <message>
        <source>information</source>
        <translation>informatie</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Verzoek</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Host header</source>
        <translation>Host-header</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Time-out</translation>
    </message>
    <message>
        <source>connection refused: nothing listens on the port</source>
        <translation>verbinding geweigerd: niets luistert op de poort</translation>
    </message>
    <message>
        <source>the host name does not resolve</source>
        <translation>de hostnaam wordt niet gevonden</translation>
    </message>
    <message>
        <source>no connection in time</source>
        <translation>geen verbinding binnen de tijd</translation>
    </message>
    <message>
        <source>the peer accepted, then closed without answering</source>
        <translation>de andere kant nam aan en sloot zonder antwoord</translation>
    </message>
    <message>
        <source>connected, but no answer in time</source>
        <translation>verbonden, maar geen antwoord binnen de tijd</translation>
    </message>
    <message>
        <source>answered, and reported a failure</source>
        <translation>antwoordde, en meldde een fout</translation>
    </message>
    <message>
        <source>the file is missing</source>
        <translation>het bestand ontbreekt</translation>
    </message>
    <message>
        <source>the file is older than its maximum age</source>
        <translation>het bestand is ouder dan de maximale leeftijd</translation>
    </message>
    <message>
        <source>the command failed</source>
        <translation>de opdracht mislukte</translation>
    </message>
    <message>
        <source>the container is not running</source>
        <translation>de container draait niet</translation>
    </message>
    <message>
        <source>the broker works; the worker did not answer</source>
        <translation>de broker werkt; de worker antwoordde niet</translation>
    </message>
    <message>
        <source>other failure</source>
        <translation>andere fout</translation>
    </message>
    <message>
        <source>%1 · %2: %3</source>
        <translation>%1 · %2: %3</translation>
    </message>
    <message>
        <source>No result yet.</source>
        <translation>Nog geen resultaat.</translation>
    </message>
    <message>
        <source>Healthy again. Last problem: %1</source>
        <translation>Weer gezond. Laatste probleem: %1</translation>
    </message>
    <message>
        <source>No problem since monitoring started. Latest: %1</source>
        <translation>Geen probleem sinds de bewaking begon. Laatste: %1</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbinding</translation>
    </message>
    <message>
        <source>cannot reach the deployment</source>
        <translation>deployment niet bereikbaar</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Controle</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Doel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Toestand</translation>
    </message>
    <message>
        <source>Last problem at</source>
        <translation>Laatste probleem om</translation>
    </message>
    <message>
        <source>Result at</source>
        <translation>Resultaat om</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latentie</translation>
    </message>
    <message>
        <source>What failed</source>
        <translation>Wat faalde</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>Oorzaak</translation>
    </message>
    <message>
        <source>The monitor cannot reach this deployment, so its checks are unknown: nothing here says the services have failed.</source>
        <translation>De monitor kan deze deployment niet bereiken, dus de controles zijn onbekend: niets hier zegt dat de services gefaald hebben.</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwoord</translation>
    </message>
    <message>
        <source>Components (django-health-check)</source>
        <translation>Onderdelen (django-health-check)</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Opdracht</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Uitvoer</translation>
    </message>
    <message>
        <source>Body excerpt</source>
        <translation>Uittreksel van de body</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>Hint</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Onderdeel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>okh::FailureView</name>
    <message>
        <source>Failure details</source>
        <translation>Details van de fout</translation>
    </message>
    <message>
        <source>Check &amp;Now</source>
        <translation>&amp;Nu controleren</translation>
    </message>
    <message>
        <source>Run this check at once (Ctrl+R); the schedule goes on after it.</source>
        <translation>Deze controle meteen uitvoeren (Ctrl+R); daarna gaat het schema verder.</translation>
    </message>
    <message>
        <source>Copy as &amp;Markdown</source>
        <translation>Kopiëren als &amp;Markdown</translation>
    </message>
    <message>
        <source>Copy these details as Markdown for a ticket (Ctrl+Shift+C).</source>
        <translation>Deze details als Markdown kopiëren voor een ticket (Ctrl+Shift+C).</translation>
    </message>
    <message>
        <source>Select a check to see what its probe captured.</source>
        <translation>Kies een controle om te zien wat de probe vastlegde.</translation>
    </message>
</context>
<context>
    <name>okh::FieldEditor</name>
    <message>
        <source>(default)</source>
        <translation>(standaard)</translation>
    </message>
    <message>
        <source>one per line</source>
        <translation>één per regel</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>Depends on</source>
        <translation>Hangt af van</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>Interval</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Time-out</translation>
    </message>
    <message>
        <source>Failure threshold</source>
        <translation>Foutdrempel</translation>
    </message>
    <message>
        <source>Success threshold</source>
        <translation>Succesdrempel</translation>
    </message>
    <message>
        <source>Start period</source>
        <translation>Opstartperiode</translation>
    </message>
    <message>
        <source>Initial delay</source>
        <translation>Eerste vertraging</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Host header</source>
        <translation>Host-header</translation>
    </message>
    <message>
        <source>Expect</source>
        <translation>Verwacht</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Headers</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Gebruiker</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Wachtwoord</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Poort</translation>
    </message>
    <message>
        <source>Database number</source>
        <translation>Databasenummer</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Broker URL</source>
        <translation>Broker-URL</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Workers</translation>
    </message>
    <message>
        <source>Ping timeout</source>
        <translation>Ping-time-out</translation>
    </message>
    <message>
        <source>Control exchange</source>
        <translation>Control-exchange</translation>
    </message>
    <message>
        <source>Key prefix</source>
        <translation>Sleutelvoorvoegsel</translation>
    </message>
    <message>
        <source>Listen for</source>
        <translation>Luisteren gedurende</translation>
    </message>
    <message>
        <source>Event exchange</source>
        <translation>Event-exchange</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pad</translation>
    </message>
    <message>
        <source>Maximum age</source>
        <translation>Maximale leeftijd</translation>
    </message>
    <message>
        <source>Runs in</source>
        <translation>Draait in</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Opdracht</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbinding</translation>
    </message>
    <message>
        <source>SSH host</source>
        <translation>SSH-host</translation>
    </message>
    <message>
        <source>SSH port</source>
        <translation>SSH-poort</translation>
    </message>
    <message>
        <source>SSH user</source>
        <translation>SSH-gebruiker</translation>
    </message>
    <message>
        <source>Key files</source>
        <translation>Sleutelbestanden</translation>
    </message>
    <message>
        <source>Known hosts file</source>
        <translation>Known-hosts-bestand</translation>
    </message>
    <message>
        <source>Unknown host keys</source>
        <translation>Onbekende hostsleutels</translation>
    </message>
    <message>
        <source>Jump hosts</source>
        <translation>Jumphosts</translation>
    </message>
    <message>
        <source>10s (default)</source>
        <translation>10s (standaard)</translation>
    </message>
    <message>
        <source>1s (default)</source>
        <translation>1s (standaard)</translation>
    </message>
    <message>
        <source>3 (default)</source>
        <translation>3 (standaard)</translation>
    </message>
    <message>
        <source>1 (default)</source>
        <translation>1 (standaard)</translation>
    </message>
    <message>
        <source>0s (default)</source>
        <translation>0s (standaard)</translation>
    </message>
    <message>
        <source>kept in the keychain</source>
        <translation>bewaard in de sleutelbos</translation>
    </message>
    <message>
        <source>3s (default)</source>
        <translation>3s (standaard)</translation>
    </message>
    <message>
        <source>5s (default)</source>
        <translation>5s (standaard)</translation>
    </message>
    <message>
        <source>celery (default)</source>
        <translation>celery (standaard)</translation>
    </message>
    <message>
        <source>celeryev (default)</source>
        <translation>celeryev (standaard)</translation>
    </message>
</context>
<context>
    <name>okh::FileProbe</name>
    <message>
        <source>no file path configured</source>
        <translation>geen bestandspad ingesteld</translation>
    </message>
    <message>
        <source>cannot read the file&apos;s age in %1</source>
        <translation>kan de leeftijd van het bestand niet bepalen in %1</translation>
    </message>
    <message>
        <source>The container needs a POSIX sh with stat and date.</source>
        <translation>De container heeft een POSIX-sh met stat en date nodig.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>&apos;%1&apos; bestaat niet</translation>
    </message>
    <message>
        <source>The process that touches this file is not running, or it writes another path (for Celery: MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE).</source>
        <translation>Het proces dat dit bestand bijwerkt, draait niet of schrijft naar een ander pad (voor Celery: MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE).</translation>
    </message>
    <message>
        <source>The worker has not signalled that it is ready, or it shut down (the file is removed on shutdown).</source>
        <translation>De worker heeft niet gemeld dat hij gereed is, of is afgesloten (het bestand wordt bij afsluiten verwijderd).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a regular file</source>
        <translation>&apos;%1&apos; is geen gewoon bestand</translation>
    </message>
    <message>
        <source>&apos;%1&apos; exists</source>
        <translation>&apos;%1&apos; bestaat</translation>
    </message>
    <message>
        <source>&apos;%1&apos; touched %2 ago (max-age %3)</source>
        <translation>&apos;%1&apos; %2 geleden bijgewerkt (max-age %3)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is older than max-age: touched %2 ago (max-age %3)</source>
        <translation>&apos;%1&apos; is ouder dan max-age: %2 geleden bijgewerkt (max-age %3)</translation>
    </message>
    <message>
        <source>The process that touches this file stopped doing so: it is frozen or blocked (for a Celery worker: a long task blocks the event loop), or it died without removing the file.</source>
        <translation>Het proces dat dit bestand bijwerkt, doet dat niet meer: het hangt of is geblokkeerd (bij een Celery-worker: een lange taak blokkeert de event loop), of het is gestopt zonder het bestand te verwijderen.</translation>
    </message>
</context>
<context>
    <name>okh::HealthCheckCommand</name>
    <message>
        <source>HTTP health check, a drop-in for `maykin-common health-check`.</source>
        <translation>HTTP-gezondheidscontrole, drop-in-vervanging voor `maykin-common health-check`.</translation>
    </message>
    <message>
        <source>URL or path to GET (default /_healthz/livez/).</source>
        <translation>URL of pad voor de GET-aanvraag (standaard /_healthz/livez/).</translation>
    </message>
    <message>
        <source>Request timeout in whole seconds (default 3).</source>
        <translation>Time-out van de aanvraag in hele seconden (standaard 3).</translation>
    </message>
    <message>
        <source>Invalid value for &apos;--timeout&apos;: &apos;%1&apos; is not a valid integer.
</source>
        <translation>Ongeldige waarde voor &apos;--timeout&apos;: &apos;%1&apos; is geen geldig geheel getal.
</translation>
    </message>
</context>
<context>
    <name>okh::HeartbeatProbe</name>
    <message>
        <source>no broker host or port configured</source>
        <translation>geen host of poort van de broker ingesteld</translation>
    </message>
    <message>
        <source>the broker did not confirm the subscription within %1</source>
        <translation>de broker heeft het abonnement niet binnen %1 bevestigd</translation>
    </message>
    <message>
        <source>Set the check&apos;s timeout longer than its listen time.</source>
        <translation>Stel de time-out van de controle langer in dan de luistertijd.</translation>
    </message>
    <message>
        <source>no worker heartbeat in %1</source>
        <translation>geen heartbeat van een worker in %1</translation>
    </message>
    <message>
        <source>No worker is running against this broker and database, or workers run with --without-heartbeat.</source>
        <translation>Er draait geen worker tegen deze broker en database, of de workers draaien met --without-heartbeat.</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) alive: %1</source>
        <translation>
            <numerusform>%n worker leeft: %1</numerusform>
            <numerusform>%n workers leven: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>heartbeat from %1</source>
        <translation>heartbeat van %1</translation>
    </message>
    <message>
        <source>no heartbeat from %1 in %2</source>
        <translation>geen heartbeat van %1 in %2</translation>
    </message>
    <message>
        <source>Workers that do send heartbeats: %1. Check the worker name.</source>
        <translation>Workers die wel heartbeats sturen: %1. Controleer de workernaam.</translation>
    </message>
    <message>
        <source>The worker is down, frozen, its event loop is blocked, or it runs with --without-heartbeat.</source>
        <translation>De worker is down of hangt, zijn event loop is geblokkeerd, of hij draait met --without-heartbeat.</translation>
    </message>
    <message>
        <source>%1, heard %2 ago, active %3, processed %4, %5</source>
        <translation>%1, %2 geleden gehoord, actief %3, verwerkt %4, %5</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>alive</source>
        <translation>levend</translation>
    </message>
</context>
<context>
    <name>okh::HistoryDatabase</name>
    <message>
        <source>History database error: %1</source>
        <translation>Fout in de geschiedenisdatabase: %1</translation>
    </message>
    <message>
        <source>Cannot open the history file %1: %2</source>
        <translation>Kan het geschiedenisbestand %1 niet openen: %2</translation>
    </message>
    <message>
        <source>The history file is not open.</source>
        <translation>Het geschiedenisbestand is niet geopend.</translation>
    </message>
</context>
<context>
    <name>okh::HistorySchema</name>
    <message>
        <source>Cannot update the history file: %1</source>
        <translation>Kan het geschiedenisbestand niet bijwerken: %1</translation>
    </message>
    <message>
        <source>Cannot read the history file: %1</source>
        <translation>Kan het geschiedenisbestand niet lezen: %1</translation>
    </message>
    <message>
        <source>The history file was written by a newer version of OK Health (schema %1, this version reads up to %2).</source>
        <translation>Het geschiedenisbestand is geschreven door een nieuwere versie van OK Health (schema %1, deze versie leest tot en met %2).</translation>
    </message>
</context>
<context>
    <name>okh::HistoryView</name>
    <message>
        <source>1 h</source>
        <translation>1 u</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 u</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 d</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 d</translation>
    </message>
    <message>
        <source>History of the last %1</source>
        <translation>Geschiedenis van de laatste %1</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidenten</translation>
    </message>
    <message>
        <source>History is shown once monitoring runs.</source>
        <translation>De geschiedenis verschijnt zodra de bewaking loopt.</translation>
    </message>
    <message>
        <source>Select a check to see its history.</source>
        <translation>Kies een controle om de geschiedenis te zien.</translation>
    </message>
    <message>
        <source>Uptime %1 % · %2 results, %3 failed, %4 unknown</source>
        <translation>Beschikbaarheid %1 % · %2 resultaten, %3 gefaald, %4 onbekend</translation>
    </message>
    <message>
        <source>No results in this range</source>
        <translation>Geen resultaten in deze periode</translation>
    </message>
</context>
<context>
    <name>okh::HostKeyDialog</name>
    <message>
        <source>Unknown SSH Host Key</source>
        <translation>Onbekende SSH-hostsleutel</translation>
    </message>
    <message>
        <source>The SSH server of deployment &lt;b&gt;%1&lt;/b&gt; offered a host key that is not in its known_hosts file. OK Health does not connect to it until you trust the key.</source>
        <translation>De SSH-server van deployment &lt;b&gt;%1&lt;/b&gt; bood een hostsleutel aan die niet in het known_hosts-bestand staat. OK Health maakt geen verbinding tot u de sleutel vertrouwt.</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Soort sleutel:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Vingerafdruk:</translation>
    </message>
    <message>
        <source>Added to:</source>
        <translation>Toegevoegd aan:</translation>
    </message>
    <message>
        <source>Compare the fingerprint with the one the host&apos;s administrator reads on the host (for example &lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;). Trust it only if they are the same.</source>
        <translation>Vergelijk de vingerafdruk met die de beheerder van de host op de host afleest (bijvoorbeeld &lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;). Vertrouw de sleutel alleen als ze gelijk zijn.</translation>
    </message>
    <message>
        <source>&amp;Trust and Connect</source>
        <translation>&amp;Vertrouwen en verbinden</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t Trust</source>
        <translation>&amp;Niet vertrouwen</translation>
    </message>
</context>
<context>
    <name>okh::HtmlReport</name>
    <message>
        <source>Smoke check %1</source>
        <translation>Rooktest %1</translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>grondoorzaak: %1</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultaat</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Controle</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Samenvatting</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latentie</translation>
    </message>
</context>
<context>
    <name>okh::HttpProbe</name>
    <message>
        <source>invalid URL &quot;%1&quot;</source>
        <translation>ongeldige URL &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Use an absolute http:// or https:// URL.</source>
        <translation>Gebruik een absolute http://- of https://-URL.</translation>
    </message>
    <message>
        <source>no HTTP answer within %1</source>
        <translation>geen HTTP-antwoord binnen %1</translation>
    </message>
    <message>
        <source>The server accepted the request but did not answer in time: the application is overloaded, frozen, or its own dependency checks are slow (database or cache timeouts).</source>
        <translation>De server heeft de aanvraag geaccepteerd, maar niet op tijd geantwoord: de applicatie is overbelast of hangt, of haar eigen afhankelijkheidscontroles zijn traag (time-outs van database of cache).</translation>
    </message>
    <message>
        <source>no connection within %1</source>
        <translation>geen verbinding binnen %1</translation>
    </message>
    <message>
        <source>The host does not answer: a firewall drops the packets or the host is down.</source>
        <translation>De host antwoordt niet: een firewall gooit de pakketten weg of de host is down.</translation>
    </message>
</context>
<context>
    <name>okh::HttpVerdict</name>
    <message>
        <source>not exposed: HTTP %1</source>
        <translation>afgeschermd: HTTP %1</translation>
    </message>
    <message>
        <source>exposed: HTTP %1 from outside</source>
        <translation>niet afgeschermd: HTTP %1 van buitenaf</translation>
    </message>
    <message>
        <source>nginx serves this health path to the monitor. Note that the documentation&apos;s snippet does not block anyone: `return 200` runs in nginx&apos;s rewrite phase, before allow/deny are checked. Reject other addresses explicitly, e.g. `if ($remote_addr !~ &quot;^(127\.0\.0\.1|::1)$&quot;) { return 403; }`, or proxy to the backend.</source>
        <translation>nginx levert dit health-pad aan de monitor. Let op: het fragment uit de documentatie blokkeert niemand: `return 200` wordt uitgevoerd in de rewrite-fase van nginx, vóórdat allow/deny worden gecontroleerd. Weiger andere adressen expliciet, bijv. `if ($remote_addr !~ &quot;^(127\.0\.0\.1|::1)$&quot;) { return 403; }`, of proxy naar de backend.</translation>
    </message>
    <message>
        <source>This health path answers from where the monitor stands; health endpoints should answer only from the host itself (127.0.0.1 and ::1).</source>
        <translation>Dit health-pad antwoordt vanaf de plek van de monitor; health-endpoints horen alleen vanaf de host zelf te antwoorden (127.0.0.1 en ::1).</translation>
    </message>
    <message>
        <source>HTTP %1, redirects to %2</source>
        <translation>HTTP %1, verwijst door naar %2</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>HTTP %1: %2 failing</source>
        <translation>HTTP %1: fout in %2</translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
    <message>
        <source>Django rejects the Host header &quot;%1&quot;: ALLOWED_HOSTS must contain the host name the check uses (the Open Klant documentation: include localhost), or set hostHeader in the check.</source>
        <translation>Django weigert de Host-header &quot;%1&quot;: ALLOWED_HOSTS moet de hostnaam bevatten die de controle gebruikt (volgens de Open Klant-documentatie: neem localhost op), of stel hostHeader in bij de controle.</translation>
    </message>
    <message>
        <source>The endpoint asks for credentials; health endpoints are normally open to the probe.</source>
        <translation>Het endpoint vraagt om inloggegevens; health-endpoints zijn normaal gesproken open voor de controle.</translation>
    </message>
    <message>
        <source>Wrong path: the web container serves /_healthz/, /_healthz/livez/ and /_healthz/readyz/ (with the trailing slash). If nginx proxies readyz, check its proxy_pass path: the documentation&apos;s example proxies to /_health/readyz/, which does not exist.</source>
        <translation>Verkeerd pad: de web-container levert /_healthz/, /_healthz/livez/ en /_healthz/readyz/ (met de afsluitende slash). Als nginx readyz doorstuurt, controleer dan het proxy_pass-pad: het voorbeeld in de documentatie stuurt door naar /_health/readyz/, dat niet bestaat.</translation>
    </message>
    <message>
        <source>The proxy is up but the backend did not answer in time: check the web container.</source>
        <translation>De proxy draait, maar de backend antwoordde niet op tijd: controleer de web-container.</translation>
    </message>
    <message>
        <source>The proxy is up but cannot reach its backend (down, restarting or wrong upstream address): check the web container.</source>
        <translation>De proxy draait, maar kan zijn backend niet bereiken (down, herstart of verkeerd upstream-adres): controleer de web-container.</translation>
    </message>
    <message>
        <source>The application answers, but a dependency check fails: %1.</source>
        <translation>De applicatie antwoordt, maar een afhankelijkheidscontrole faalt: %1.</translation>
    </message>
    <message>
        <source>Django&apos;s generic error page: an uncaught exception; the web container&apos;s log has the traceback.</source>
        <translation>De generieke foutpagina van Django: een niet-afgevangen exceptie; de traceback staat in het log van de web-container.</translation>
    </message>
    <message>
        <source>not exposed: connection refused</source>
        <translation>afgeschermd: verbinding geweigerd</translation>
    </message>
    <message>
        <source>cannot send the request: %1</source>
        <translation>kan de aanvraag niet versturen: %1</translation>
    </message>
    <message>
        <source>Check the URL in the deployment file: only http:// and https:// work.</source>
        <translation>Controleer de URL in het omgevingsbestand: alleen http:// en https:// werken.</translation>
    </message>
    <message>
        <source>request failed: %1</source>
        <translation>aanvraag mislukt: %1</translation>
    </message>
    <message>
        <source>The peer does not speak HTTP as expected: another service may listen on this port.</source>
        <translation>De tegenpartij spreekt niet het verwachte HTTP: mogelijk luistert een andere dienst op deze poort.</translation>
    </message>
    <message>
        <source>This port speaks HTTPS: use an https:// URL.</source>
        <translation>Deze poort spreekt HTTPS: gebruik een https://-URL.</translation>
    </message>
    <message>
        <source>nginx denied the request (allow/deny). The documentation&apos;s health locations allow only 127.0.0.1 and ::1, and a published container port or a proxy shows nginx another address, so run the check inside the nginx container instead: an exec check such as `curl -fsS -o /dev/null http://localhost:8080/_healthz/readyz/` (docs/deployment-file.md, nginx).</source>
        <translation>nginx weigerde het verzoek (allow/deny). De health-locaties uit de documentatie staan alleen 127.0.0.1 en ::1 toe, en via een gepubliceerde containerpoort of een proxy ziet nginx een ander adres; voer de controle daarom in de nginx-container uit: een exec-controle zoals `curl -fsS -o /dev/null http://localhost:8080/_healthz/readyz/` (docs/deployment-file.md, nginx).</translation>
    </message>
</context>
<context>
    <name>okh::IncidentModel</name>
    <message>
        <source>ongoing</source>
        <translation>duurt voort</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Begin</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Einde</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duur</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>What failed</source>
        <translation>Wat faalde</translation>
    </message>
    <message>
        <source>ongoing · acknowledged by %1</source>
        <translation>duurt voort · bevestigd door %1</translation>
    </message>
</context>
<context>
    <name>okh::Keychain</name>
    <message numerus="yes">
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>de sleutelbos antwoordde niet binnen %n seconde</numerusform>
            <numerusform>de sleutelbos antwoordde niet binnen %n seconden</numerusform>
        </translation>
    </message>
    <message>
        <source>the keychain failed: %1</source>
        <translation>de sleutelbos faalde: %1</translation>
    </message>
    <message>
        <source>keychain entry &quot;%1&quot;: %2</source>
        <translation>sleutelbositem &quot;%1&quot;: %2</translation>
    </message>
</context>
<context>
    <name>okh::LatencyChart</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>max</source>
        <translation>max</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>no latency figures in this range</source>
        <translation>geen latentiecijfers in deze periode</translation>
    </message>
    <message>
        <source>no results before %1</source>
        <translation>geen resultaten vóór %1</translation>
    </message>
</context>
<context>
    <name>okh::MainWindow</name>
    <message>
        <source>%1: a deployment named &quot;%2&quot; is already open from another file</source>
        <translation>%1: een deployment met de naam &quot;%2&quot; is al geopend uit een ander bestand</translation>
    </message>
    <message>
        <source>OK Health</source>
        <translation>OK Health</translation>
    </message>
    <message>
        <source>Cannot start monitoring</source>
        <translation>Bewaking kan niet starten</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Openen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Beel&amp;d</translation>
    </message>
    <message>
        <source>&amp;Check All Now</source>
        <translation>Alles nu &amp;controleren</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About OK Health</source>
        <translation>&amp;Over OK Health</translation>
    </message>
    <message>
        <source>Open Deployment Files</source>
        <translation>Deploymentbestanden openen</translation>
    </message>
    <message>
        <source>Deployment files (*.json);;All files (*)</source>
        <translation>Deploymentbestanden (*.json);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 laden…</translation>
    </message>
    <message>
        <source>Cannot open the deployment file</source>
        <translation>Het deploymentbestand kan niet worden geopend</translation>
    </message>
    <message>
        <source>About OK Health</source>
        <translation>Over OK Health</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;OK Health&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Live health of Open Klant deployments: every recommended check, what is wrong, why, and since when.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;OK Health&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Live gezondheid van Open Klant-deployments: elke aanbevolen controle, wat er mis is, waarom, en sinds wanneer.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Stopping the checks and saving history…</source>
        <translation>Controles stoppen en geschiedenis opslaan…</translation>
    </message>
    <message numerus="yes">
        <source>Watching %n deployment(s)</source>
        <translation>
            <numerusform>Bewaakt %n deployment</numerusform>
            <numerusform>Bewaakt %n deployments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s)</source>
        <translation>
            <numerusform>%n controle</numerusform>
            <numerusform>%n controles</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bewerken</translation>
    </message>
    <message>
        <source>Copy Failure Details as &amp;Markdown</source>
        <translation>Foutdetails kopiëren als &amp;Markdown</translation>
    </message>
    <message>
        <source>Check &amp;Deployment Now</source>
        <translation>&amp;Deployment nu controleren</translation>
    </message>
    <message>
        <source>Check &amp;Selected Now</source>
        <translation>&amp;Selectie nu controleren</translation>
    </message>
    <message>
        <source>&amp;Filter Services…</source>
        <translation>Services &amp;filteren…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Recent geopend</translation>
    </message>
    <message>
        <source>%1 %2 — %3</source>
        <translation>%1 %2 — %3</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>Geen recente bestanden</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>Menu &amp;wissen</translation>
    </message>
    <message>
        <source>%1 is no longer there; it is taken off the recent files.</source>
        <translation>%1 is er niet meer; het gaat van de lijst met recente bestanden af.</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Documentatie</translation>
    </message>
    <message>
        <source>Documentation</source>
        <translation>Documentatie</translation>
    </message>
    <message>
        <source>The documentation could not be opened. It is docs/desktop.md in the OK Health sources (expected at %1).</source>
        <translation>De documentatie kon niet worden geopend. Het is docs/desktop.md in de broncode van OK Health (verwacht in %1).</translation>
    </message>
    <message>
        <source>De&amp;ployment</source>
        <translation>De&amp;ployment</translation>
    </message>
    <message>
        <source>Run &amp;Smoke Check…</source>
        <translation>&amp;Rooktest uitvoeren…</translation>
    </message>
    <message>
        <source>Every check of the deployment once, now, with a report to export</source>
        <translation>Elke controle van de deployment nu eenmaal, met een rapport om te exporteren</translation>
    </message>
    <message>
        <source>%1: the pause has ended, its checks run again.</source>
        <translation>%1: de pauze is voorbij, de controles draaien weer.</translation>
    </message>
    <message>
        <source>Acknowledged: %1</source>
        <translation>Bevestigd: %1</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Voorkeuren…</translation>
    </message>
    <message>
        <source>&amp;Acknowledge Incident</source>
        <translation>Incident &amp;bevestigen</translation>
    </message>
    <message>
        <source>Mute the failing services&apos; notifications until they recover</source>
        <translation>Meldingen van de falende services uit tot ze herstellen</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuut</numerusform>
            <numerusform>%n minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n uur</numerusform>
            <numerusform>%n uur</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Maintenance Window</source>
        <translation>&amp;Onderhoudsvenster</translation>
    </message>
    <message>
        <source>&amp;End Maintenance Window</source>
        <translation>Onderhoudsvenster &amp;beëindigen</translation>
    </message>
    <message>
        <source>&amp;Pause Checks</source>
        <translation>Controles &amp;pauzeren</translation>
    </message>
    <message>
        <source>&amp;Until Resumed</source>
        <translation>&amp;Tot hervatten</translation>
    </message>
    <message>
        <source>&amp;Resume Checks</source>
        <translation>Controles &amp;hervatten</translation>
    </message>
    <message>
        <source>%1: nothing is failing, nothing to acknowledge.</source>
        <translation>%1: er faalt niets, niets te bevestigen.</translation>
    </message>
    <message>
        <source>%1: acknowledged %2; muted until they recover.</source>
        <translation>%1: %2 bevestigd; stil tot ze herstellen.</translation>
    </message>
    <message>
        <source>%1: the maintenance window has ended.</source>
        <translation>%1: het onderhoudsvenster is voorbij.</translation>
    </message>
    <message>
        <source>%1: checks run again.</source>
        <translation>%1: de controles draaien weer.</translation>
    </message>
    <message>
        <source>&amp;New Deployment…</source>
        <translation>&amp;Nieuwe deployment…</translation>
    </message>
    <message>
        <source>&amp;Edit Deployment…</source>
        <translation>Deployment &amp;bewerken…</translation>
    </message>
    <message>
        <source>Services, checks and the connection, checked as you type</source>
        <translation>Services, controles en de verbinding, gecontroleerd terwijl u typt</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 opgeslagen</translation>
    </message>
    <message>
        <source>An Open Klant deployment, page by page: connection, services, Celery</source>
        <translation>Een Open Klant-deployment, pagina voor pagina: verbinding, services, Celery</translation>
    </message>
</context>
<context>
    <name>okh::MarkdownReport</name>
    <message>
        <source>Smoke check %1</source>
        <translation>Rooktest %1</translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>grondoorzaak: %1</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultaat</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Controle</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Samenvatting</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latentie</translation>
    </message>
</context>
<context>
    <name>okh::MonitorHost</name>
    <message>
        <source>Monitoring is not running.</source>
        <translation>De bewaking draait niet.</translation>
    </message>
    <message>
        <source>%1 is not monitored.</source>
        <translation>%1 wordt niet bewaakt.</translation>
    </message>
    <message>
        <source>%1 was restarted or closed during the smoke check.</source>
        <translation>%1 is tijdens de rooktest herstart of gesloten.</translation>
    </message>
</context>
<context>
    <name>okh::MonitoringSession</name>
    <message>
        <source>cannot open the history file %1</source>
        <translation>kan het geschiedenisbestand %1 niet openen</translation>
    </message>
    <message>
        <source>the history file %1 is already written by another process (pid %2 on %3)</source>
        <translation>het geschiedenisbestand %1 wordt al door een ander proces geschreven (pid %2 op %3)</translation>
    </message>
    <message>
        <source>%1 did not offer this key as unknown</source>
        <translation>%1 bood deze sleutel niet als onbekend aan</translation>
    </message>
</context>
<context>
    <name>okh::NewDeploymentWizard</name>
    <message>
        <source>New Deployment</source>
        <translation>Nieuwe deployment</translation>
    </message>
    <message>
        <source>Name and connection</source>
        <translation>Naam en verbinding</translation>
    </message>
    <message>
        <source>How OK Health reaches the deployment: directly, or through an SSH login on its host.</source>
        <translation>Hoe OK Health de deployment bereikt: rechtstreeks, of via een SSH-login op de host.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Naam:</translation>
    </message>
    <message>
        <source>Direct (the ports are reachable from here)</source>
        <translation>Rechtstreeks (de poorten zijn van hieruit bereikbaar)</translation>
    </message>
    <message>
        <source>Through SSH</source>
        <translation>Via SSH</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbinding</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbinding:</translation>
    </message>
    <message>
        <source>SSH &amp;host:</source>
        <translation>SSH-&amp;host:</translation>
    </message>
    <message>
        <source>SSH &amp;port:</source>
        <translation>SSH-&amp;poort:</translation>
    </message>
    <message>
        <source>SSH &amp;user:</source>
        <translation>SSH-&amp;gebruiker:</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>&amp;Sleutelbestand:</translation>
    </message>
    <message>
        <source>Known hosts &amp;file:</source>
        <translation>Known-hosts-&amp;bestand:</translation>
    </message>
    <message>
        <source>~/.ssh/known_hosts (default)</source>
        <translation>~/.ssh/known_hosts (standaard)</translation>
    </message>
    <message>
        <source>&amp;Jump host:</source>
        <translation>&amp;Jumphost:</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>Where each container answers, as seen from the connection. Empty fields take the profile&apos;s defaults (the compose service names and their ports).</source>
        <translation>Waar elke container antwoordt, gezien vanaf de verbinding. Lege velden nemen de standaardwaarden van het profiel (de compose-servicenamen en hun poorten).</translation>
    </message>
    <message>
        <source>&amp;Web host:</source>
        <translation>&amp;Web-host:</translation>
    </message>
    <message>
        <source>Web port:</source>
        <translation>Web-poort:</translation>
    </message>
    <message>
        <source>&amp;nginx host:</source>
        <translation>&amp;nginx-host:</translation>
    </message>
    <message>
        <source>nginx port:</source>
        <translation>nginx-poort:</translation>
    </message>
    <message>
        <source>&amp;Redis URL:</source>
        <translation>&amp;Redis-URL:</translation>
    </message>
    <message>
        <source>&amp;PostgreSQL host:</source>
        <translation>&amp;PostgreSQL-host:</translation>
    </message>
    <message>
        <source>PostgreSQL port:</source>
        <translation>PostgreSQL-poort:</translation>
    </message>
    <message>
        <source>PostgreSQL user:</source>
        <translation>PostgreSQL-gebruiker:</translation>
    </message>
    <message>
        <source>PostgreSQL database:</source>
        <translation>PostgreSQL-database:</translation>
    </message>
    <message>
        <source>&amp;Flower host:</source>
        <translation>&amp;Flower-host:</translation>
    </message>
    <message>
        <source>Flower port:</source>
        <translation>Flower-poort:</translation>
    </message>
    <message>
        <source>Celery</source>
        <translation>Celery</translation>
    </message>
    <message>
        <source>The broker the workers use (CELERY_BROKER_URL) and the worker to ping.</source>
        <translation>De broker die de workers gebruiken (CELERY_BROKER_URL) en de worker om te pingen.</translation>
    </message>
    <message>
        <source>&amp;Broker URL:</source>
        <translation>&amp;Broker-URL:</translation>
    </message>
    <message>
        <source>the Redis URL (default)</source>
        <translation>de Redis-URL (standaard)</translation>
    </message>
    <message>
        <source>&amp;Worker name:</source>
        <translation>&amp;Workernaam:</translation>
    </message>
    <message>
        <source>any worker (default)</source>
        <translation>elke worker (standaard)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Controleren</translation>
    </message>
    <message>
        <source>What the deployment file&apos;s loader says. Finish opens the deployment in the editor, every check spelled out, to look over and save.</source>
        <translation>Wat de lader van het deploymentbestand zegt. Voltooien opent de deployment in de editor, elke controle uitgeschreven, om na te kijken en op te slaan.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Controleren…</translation>
    </message>
    <message>
        <source>a deployment named “%1” is already open</source>
        <translation>een deployment met de naam “%1” is al geopend</translation>
    </message>
</context>
<context>
    <name>okh::OverviewView</name>
    <message>
        <source>No deployment is open.
Use File → Open… (Ctrl+O) to open a deployment file.</source>
        <translation>Er is geen deployment geopend.
Kies Bestand → Openen… (Ctrl+O) om een deploymentbestand te openen.</translation>
    </message>
    <message>
        <source>Filter services: name, kind, check, cause…</source>
        <translation>Services filteren: naam, soort, controle, oorzaak…</translation>
    </message>
    <message>
        <source>Filter services</source>
        <translation>Services filteren</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>Alle services</translation>
    </message>
    <message>
        <source>With problems</source>
        <translation>Met problemen</translation>
    </message>
    <message>
        <source>Unhealthy</source>
        <translation>Ongezond</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Onbekend</translation>
    </message>
    <message>
        <source>&quot;With problems&quot;: not healthy, or a check whose latest result failed.</source>
        <translation>&quot;Met problemen&quot;: niet gezond, of een controle waarvan het laatste resultaat faalde.</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>&amp;Tonen:</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1 (%2 van %3)</translation>
    </message>
</context>
<context>
    <name>okh::PassphraseDialog</name>
    <message>
        <source>SSH Key Passphrase</source>
        <translation>Wachtwoordzin van SSH-sleutel</translation>
    </message>
    <message>
        <source>That passphrase did not unlock &lt;b&gt;%1&lt;/b&gt;. Try again.</source>
        <translation>Die wachtwoordzin ontgrendelde &lt;b&gt;%1&lt;/b&gt; niet. Probeer het opnieuw.</translation>
    </message>
    <message>
        <source>The SSH key &lt;b&gt;%1&lt;/b&gt; is protected by a passphrase.</source>
        <translation>De SSH-sleutel &lt;b&gt;%1&lt;/b&gt; is beveiligd met een wachtwoordzin.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Wachtwoordzin</translation>
    </message>
    <message>
        <source>It is used for this connection only and never stored. To connect without being asked, load the key into ssh-agent (ssh-add).</source>
        <translation>Die wordt alleen voor deze verbinding gebruikt en nooit bewaard. Laad de sleutel in ssh-agent (ssh-add) om te verbinden zonder dat erom gevraagd wordt.</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Ontgrendelen</translation>
    </message>
</context>
<context>
    <name>okh::PostgresProbe</name>
    <message>
        <source>no attempt: no host or port configured</source>
        <translation>geen poging: geen host of poort ingesteld</translation>
    </message>
    <message>
        <source>Set host and port of the PostgreSQL check.</source>
        <translation>Stel host en poort van de PostgreSQL-controle in.</translation>
    </message>
    <message>
        <source>%1 - no response within %2</source>
        <translation>%1 - geen antwoord binnen %2</translation>
    </message>
    <message>
        <source>The port accepted the connection but PostgreSQL sent nothing: the server is frozen or overloaded, or another service listens there.</source>
        <translation>De poort accepteerde de verbinding, maar PostgreSQL stuurde niets: de server hangt of is overbelast, of er luistert een andere dienst.</translation>
    </message>
    <message>
        <source>Packets are dropped on the way (firewall) or the host is down.</source>
        <translation>Pakketten worden onderweg weggegooid (firewall) of de host is down.</translation>
    </message>
    <message>
        <source>%1 - accepting connections</source>
        <translation>%1 - accepteert verbindingen</translation>
    </message>
    <message>
        <source>%1 - accepting connections; the server said: %2</source>
        <translation>%1 - accepteert verbindingen; de server meldde: %2</translation>
    </message>
    <message>
        <source>The server is up but out of connection slots (max_connections): new sessions of the application fail.</source>
        <translation>De server draait, maar heeft geen verbindingsslots meer (max_connections): nieuwe sessies van de applicatie mislukken.</translation>
    </message>
    <message>
        <source>%1 - rejecting connections: %2</source>
        <translation>%1 - weigert verbindingen: %2</translation>
    </message>
    <message>
        <source>The server is up but refuses new sessions while it starts up, shuts down or recovers; a pending smart shutdown waits for open sessions to end.</source>
        <translation>De server draait, maar weigert nieuwe sessies tijdens opstarten, afsluiten of herstel; een lopende smart shutdown wacht tot open sessies zijn beëindigd.</translation>
    </message>
    <message>
        <source>%1 - no response</source>
        <translation>%1 - geen antwoord</translation>
    </message>
    <message>
        <source>Something answers on this port, but not as PostgreSQL: check the port.</source>
        <translation>Er antwoordt iets op deze poort, maar niet als PostgreSQL: controleer de poort.</translation>
    </message>
    <message>
        <source>%1 - no response: %2</source>
        <translation>%1 - geen antwoord: %2</translation>
    </message>
</context>
<context>
    <name>okh::Probe</name>
    <message>
        <source>no answer within %1</source>
        <translation>geen antwoord binnen %1</translation>
    </message>
    <message>
        <source>The service accepted the connection or is unreachable but did not answer in time; it may be overloaded, frozen or behind a firewall that drops packets.</source>
        <translation>De dienst accepteerde de verbinding of is onbereikbaar, maar antwoordde niet op tijd; mogelijk is hij overbelast, hangt hij of staat hij achter een firewall die pakketten weggooit.</translation>
    </message>
</context>
<context>
    <name>okh::ProbeStatus</name>
    <message>
        <source>healthy</source>
        <translation>gezond</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>ongezond</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>onbekend</translation>
    </message>
</context>
<context>
    <name>okh::RedisFailure</name>
    <message>
        <source>%1 refused the monitor&apos;s credentials: %2</source>
        <translation>%1 weigerde de inloggegevens van de monitor: %2</translation>
    </message>
    <message>
        <source>Put the password (and ACL user) the services use in the check&apos;s URL, as in CELERY_BROKER_URL: redis://[user]:password@host:port/db.</source>
        <translation>Zet het wachtwoord (en de ACL-gebruiker) dat de diensten gebruiken in de URL van de controle, zoals in CELERY_BROKER_URL: redis://[user]:password@host:port/db.</translation>
    </message>
    <message>
        <source>%1 is loading its dataset: %2</source>
        <translation>%1 laadt zijn dataset: %2</translation>
    </message>
    <message>
        <source>Redis is starting and reading its RDB/AOF file; it answers when done.</source>
        <translation>Redis start op en leest zijn RDB/AOF-bestand; het antwoordt zodra dat klaar is.</translation>
    </message>
    <message>
        <source>%1 cannot persist: %2</source>
        <translation>%1 kan niet naar schijf schrijven: %2</translation>
    </message>
    <message>
        <source>Redis stops accepting writes after a failed RDB snapshot: check disk space and permissions of its data directory.</source>
        <translation>Redis accepteert geen schrijfacties meer na een mislukte RDB-snapshot: controleer de schijfruimte en de rechten van de datamap.</translation>
    </message>
    <message>
        <source>%1 refused the database number: %2</source>
        <translation>%1 weigerde het databasenummer: %2</translation>
    </message>
    <message>
        <source>The database number in the URL does not exist on this server (see its &apos;databases&apos; setting).</source>
        <translation>Het databasenummer in de URL bestaat niet op deze server (zie de instelling &apos;databases&apos;).</translation>
    </message>
    <message>
        <source>%1 answered with an error: %2</source>
        <translation>%1 antwoordde met een fout: %2</translation>
    </message>
    <message>
        <source>%1 is not a Redis server: it answered &quot;%2&quot;</source>
        <translation>%1 is geen Redis-server: het antwoord was &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Another service listens on this port: check the port in the deployment file.</source>
        <translation>Er luistert een andere dienst op deze poort: controleer de poort in het omgevingsbestand.</translation>
    </message>
    <message>
        <source>The port is open but the peer hung up without a word. Redis does that to plain connections on its TLS port (tls-port): if the server uses TLS, write rediss://. Otherwise a different service listens there, or Redis is overloaded or restarting.</source>
        <translation>De poort is open, maar de tegenpartij hing zonder antwoord op. Redis doet dat bij gewone verbindingen op zijn TLS-poort (tls-port): gebruikt de server TLS, schrijf dan rediss://. Anders luistert er een andere dienst, of is Redis overbelast of herstart het.</translation>
    </message>
    <message>
        <source>The server does not speak TLS on this port: write redis://, or use the server&apos;s TLS port (tls-port).</source>
        <translation>De server spreekt geen TLS op deze poort: schrijf redis://, of gebruik de TLS-poort van de server (tls-port).</translation>
    </message>
    <message>
        <source>The server wants a client certificate it trusts (tls-auth-clients): give ssl_certfile and ssl_keyfile, signed by a CA in the server&apos;s tls-ca-cert-file.</source>
        <translation>De server wil een clientcertificaat dat hij vertrouwt (tls-auth-clients): geef ssl_certfile en ssl_keyfile op, ondertekend door een CA uit het tls-ca-cert-file van de server.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted (give its CA with ssl_ca_certs), has expired, or is for another name (ssl_check_hostname), or the server wants a client certificate (ssl_certfile, ssl_keyfile).</source>
        <translation>Het certificaat van de server wordt niet vertrouwd (geef de CA op met ssl_ca_certs), is verlopen of is voor een andere naam (ssl_check_hostname), of de server wil een clientcertificaat (ssl_certfile, ssl_keyfile).</translation>
    </message>
    <message>
        <source>cannot set up TLS for %1: %2</source>
        <translation>kan TLS voor %1 niet opzetten: %2</translation>
    </message>
    <message>
        <source>Check ssl_certfile and ssl_keyfile: the key must belong to the certificate.</source>
        <translation>Controleer ssl_certfile en ssl_keyfile: de sleutel moet bij het certificaat horen.</translation>
    </message>
</context>
<context>
    <name>okh::RedisProbe</name>
    <message>
        <source>Redis at %1</source>
        <translation>Redis op %1</translation>
    </message>
    <message>
        <source>no Redis host or port configured</source>
        <translation>geen Redis-host of -poort ingesteld</translation>
    </message>
    <message>
        <source>no connection to %1 within %2</source>
        <translation>geen verbinding met %1 binnen %2</translation>
    </message>
    <message>
        <source>Packets are dropped on the way (firewall) or the host is down.</source>
        <translation>Pakketten worden onderweg weggegooid (firewall) of de host is down.</translation>
    </message>
    <message>
        <source>%1 accepted the connection but did not answer PING within %2</source>
        <translation>%1 accepteerde de verbinding, maar antwoordde niet binnen %2 op PING</translation>
    </message>
    <message>
        <source>Redis is blocked (a long-running command or script, a fork for persistence under memory pressure, or a stopped process), or another service listens on this port.</source>
        <translation>Redis is geblokkeerd (een langlopende opdracht of script, een fork voor persistentie onder geheugendruk, of een gestopt proces), of er luistert een andere dienst op deze poort.</translation>
    </message>
    <message>
        <source>PONG from %1</source>
        <translation>PONG van %1</translation>
    </message>
    <message>
        <source>%1 answered PING with &quot;%2&quot;</source>
        <translation>%1 antwoordde op PING met &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1 accepted the connection but the TLS handshake did not finish within %2</source>
        <translation>%1 accepteerde de verbinding, maar de TLS-handshake was niet binnen %2 voltooid</translation>
    </message>
    <message>
        <source>The server does not speak TLS on this port (a plain Redis port waits for a line that TLS never sends): write redis://, or use the server&apos;s TLS port (tls-port).</source>
        <translation>De server spreekt geen TLS op deze poort (een gewone Redis-poort wacht op een regel die TLS nooit stuurt): schrijf redis://, of gebruik de TLS-poort van de server (tls-port).</translation>
    </message>
</context>
<context>
    <name>okh::RedisTlsSetup</name>
    <message>
        <source>cannot read the %1 file %2: %3</source>
        <translation>kan het bestand %2 (%1) niet lezen: %3</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA-certificaat</translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation>clientcertificaat</translation>
    </message>
    <message>
        <source>client key</source>
        <translation>clientsleutel</translation>
    </message>
    <message>
        <source>%1 holds no unencrypted PEM private key (ssl_keyfile)</source>
        <translation>%1 bevat geen onversleutelde private PEM-sleutel (ssl_keyfile)</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate (%2)</source>
        <translation>%1 bevat geen PEM-certificaat (%2)</translation>
    </message>
    <message>
        <source>this machine&apos;s Qt has no TLS backend (OpenSSL) for rediss://</source>
        <translation>Qt op deze machine heeft geen TLS-backend (OpenSSL) voor rediss://</translation>
    </message>
    <message>
        <source>ssl_keyfile needs ssl_certfile, the client certificate</source>
        <translation>ssl_keyfile vraagt ook ssl_certfile, het clientcertificaat</translation>
    </message>
</context>
<context>
    <name>okh::RedisUrl</name>
    <message>
        <source>not a Redis URL: expected redis://[[user]:password@]host[:port][/db]</source>
        <translation>geen Redis-URL: verwacht redis://[[user]:password@]host[:port][/db]</translation>
    </message>
    <message>
        <source>the scheme sentinel:// (Redis Sentinel) is not supported yet; give the current master as redis://host:port/db</source>
        <translation>het schema sentinel:// (Redis Sentinel) wordt nog niet ondersteund; geef de huidige master op als redis://host:port/db</translation>
    </message>
    <message>
        <source>failover lists (URLs separated by &apos;;&apos;) are not supported; give one redis:// URL</source>
        <translation>failoverlijsten (URL&apos;s gescheiden door &apos;;&apos;) worden niet ondersteund; geef één redis://-URL op</translation>
    </message>
    <message>
        <source>the URL has an &apos;@&apos; after the host; if the password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos;, percent-encode them (%2F, %3F, %23)</source>
        <translation>de URL bevat een &apos;@&apos; na de host; als het wachtwoord &apos;/&apos;, &apos;?&apos; of &apos;#&apos; bevat, codeer die dan met procentcodering (%2F, %3F, %23)</translation>
    </message>
    <message>
        <source>invalid IPv6 host: write it in brackets, like redis://[::1]:6379/0</source>
        <translation>ongeldige IPv6-host: zet deze tussen vierkante haken, zoals redis://[::1]:6379/0</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in brackets is not an IPv6 address</source>
        <translation>&quot;%1&quot; tussen vierkante haken is geen IPv6-adres</translation>
    </message>
    <message>
        <source>the port must be a number between 1 and 65535</source>
        <translation>de poort moet een getal tussen 1 en 65535 zijn</translation>
    </message>
    <message>
        <source>the database (the URL path) must be a whole number between 0 and the server&apos;s limit - 1, not &quot;%1&quot;</source>
        <translation>de database (het pad van de URL) moet een geheel getal zijn tussen 0 en de limiet van de server min 1, niet &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the query parameter &quot;%1&quot; is not supported (kombu rejects it as well)</source>
        <translation>de queryparameter &quot;%1&quot; wordt niet ondersteund (kombu weigert die ook)</translation>
    </message>
    <message>
        <source>ssl_cert_reqs must be required, optional or none (or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE), not &quot;%1&quot;</source>
        <translation>ssl_cert_reqs moet required, optional of none zijn (of CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE), niet &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the TLS parameter &quot;%1&quot; is not supported (supported: ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname)</source>
        <translation>de TLS-parameter &quot;%1&quot; wordt niet ondersteund (ondersteund: ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname)</translation>
    </message>
    <message>
        <source>the scheme %1:// is not supported; expected redis:// or rediss://</source>
        <translation>het schema %1:// wordt niet ondersteund; verwacht redis:// of rediss://</translation>
    </message>
    <message>
        <source>the TLS parameter &quot;%1&quot; needs a rediss:// URL</source>
        <translation>de TLS-parameter &quot;%1&quot; vraagt een rediss://-URL</translation>
    </message>
    <message>
        <source>ssl_check_hostname needs ssl_cert_reqs=required: redis-py refuses to check the name of a certificate it does not verify</source>
        <translation>ssl_check_hostname vraagt ssl_cert_reqs=required: redis-py weigert de naam te controleren van een certificaat dat het niet verifieert</translation>
    </message>
</context>
<context>
    <name>okh::ReportExport</name>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>JUnit XML</source>
        <translation>JUnit-XML</translation>
    </message>
    <message>
        <source>HTML</source>
        <translation>HTML</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>%1 (*.%2)</source>
        <translation>%1 (*.%2)</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Tekst</translation>
    </message>
</context>
<context>
    <name>okh::RootCause</name>
    <message>
        <source>%1, but %2 answers the monitor: check %3&apos;s credentials, network and settings for it</source>
        <translation>%1, maar %2 antwoordt de monitor wel: controleer de inloggegevens, het netwerk en de instellingen van %3 daarvoor</translation>
    </message>
    <message>
        <source>%1 checks %2 at %3, which does not answer</source>
        <translation>%1 controleert %2 op %3, dat niet antwoordt</translation>
    </message>
    <message>
        <source>nothing answers: is the deployment running?</source>
        <translation>niets antwoordt: draait de deployment?</translation>
    </message>
    <message>
        <source>nothing answers on %1: is the deployment running, and are these the right host and ports?</source>
        <translation>niets antwoordt op %1: draait de deployment, en zijn dit de juiste host en poorten?</translation>
    </message>
</context>
<context>
    <name>okh::RunCommand</name>
    <message numerus="yes">
        <source>waiting for %n check(s) to become healthy</source>
        <translation>
            <numerusform>wacht tot %n controle gezond is</numerusform>
            <numerusform>wacht tot %n controles gezond zijn</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs every check of a deployment once and reports per service.</source>
        <translation>Voert elke controle van een omgeving eenmaal uit en rapporteert per dienst.</translation>
    </message>
    <message>
        <source>Deployment file (JSON, see docs/deployment-file.md).</source>
        <translation>Omgevingsbestand (JSON, zie docs/deployment-file.md).</translation>
    </message>
    <message>
        <source>Deployment to check when the file has several.</source>
        <translation>Te controleren omgeving als het bestand er meerdere bevat.</translation>
    </message>
    <message>
        <source>Write the report to PATH instead of stdout.</source>
        <translation>Schrijf het rapport naar PATH in plaats van naar stdout.</translation>
    </message>
    <message>
        <source>Repeat until every gating check is healthy, at most SECONDS.</source>
        <translation>Herhaal tot elke bepalende controle gezond is, hoogstens SECONDS seconden.</translation>
    </message>
    <message>
        <source>--wait-ready: expected a number of seconds, got &quot;%1&quot;
</source>
        <translation>--wait-ready: verwacht een aantal seconden, maar &quot;%1&quot; gevonden
</translation>
    </message>
    <message>
        <source>%1: no deployment named &quot;%2&quot; (the file has: %3)
</source>
        <translation>%1: geen omgeving met de naam &quot;%2&quot; (het bestand bevat: %3)
</translation>
    </message>
    <message>
        <source>%1: the file has %2 deployments; choose one with --deployment NAME (%3)
</source>
        <translation>%1: het bestand bevat %2 omgevingen; kies er een met --deployment NAME (%3)
</translation>
    </message>
    <message>
        <source>cannot write the report to %1: %2
</source>
        <translation>kan het rapport niet naar %1 schrijven: %2
</translation>
    </message>
    <message>
        <source> (%1 s left)</source>
        <translation> (nog %1 s)</translation>
    </message>
    <message>
        <source>Report format: text, json, junit, markdown or html.</source>
        <translation>Rapportformaat: text, json, junit, markdown of html.</translation>
    </message>
    <message>
        <source>usage: okhealth-check run FILE [--deployment NAME] [--format text|json|junit|markdown|html] [--output PATH] [--wait-ready SECONDS]
</source>
        <translation>gebruik: okhealth-check run FILE [--deployment NAME] [--format text|json|junit|markdown|html] [--output PATH] [--wait-ready SECONDS]
</translation>
    </message>
    <message>
        <source>--format: expected text, json, junit, markdown or html, got &quot;%1&quot;
</source>
        <translation>--format: verwacht text, json, junit, markdown of html, maar &quot;%1&quot; gekregen
</translation>
    </message>
</context>
<context>
    <name>okh::ServeCommand</name>
    <message>
        <source>cannot listen on %1: %2
</source>
        <translation>kan niet luisteren op %1: %2
</translation>
    </message>
    <message>
        <source>history: %1
</source>
        <translation>geschiedenis: %1
</translation>
    </message>
    <message>
        <source>%1: connection up
</source>
        <translation>%1: verbinding hersteld
</translation>
    </message>
    <message>
        <source>%1: connection down: %2
</source>
        <translation>%1: verbinding verbroken: %2
</translation>
    </message>
    <message numerus="yes">
        <source>watching %n deployment(s) with %1 check(s); serving http://%2/metrics and /status
</source>
        <translation>
            <numerusform>bewaakt %n omgeving (controles: %1); levert http://%2/metrics en /status
</numerusform>
            <numerusform>bewaakt %n omgevingen (controles: %1); levert http://%2/metrics en /status
</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/%2/%3: %4 → %5: %6
</source>
        <translation>%1/%2/%3: %4 → %5: %6
</translation>
    </message>
    <message>
        <source>second signal: stopping without waiting for the history file
</source>
        <translation>tweede signaal: stopt zonder op het geschiedenisbestand te wachten
</translation>
    </message>
    <message>
        <source>shutting down
</source>
        <translation>wordt afgesloten
</translation>
    </message>
    <message>
        <source>Runs the checks of the deployments continuously and serves /metrics (Prometheus) and /status (JSON) over HTTP until SIGINT or SIGTERM.</source>
        <translation>Voert de controles van de omgevingen doorlopend uit en levert /metrics (Prometheus) en /status (JSON) via HTTP tot SIGINT of SIGTERM.</translation>
    </message>
    <message>
        <source>Deployment file (JSON, see docs/deployment-file.md).</source>
        <translation>Omgevingsbestand (JSON, zie docs/deployment-file.md).</translation>
    </message>
    <message>
        <source>A deployment to watch; repeat for several. Default: all.</source>
        <translation>Een te bewaken omgeving; herhaal voor meerdere. Standaard: alle.</translation>
    </message>
    <message>
        <source>Address and port to serve on, e.g. 127.0.0.1:9469 or [::1]:9469.</source>
        <translation>Adres en poort om op te luisteren, bijv. 127.0.0.1:9469 of [::1]:9469.</translation>
    </message>
    <message>
        <source>Keep the results in this history file (SQLite). Default: no history.</source>
        <translation>Bewaar de resultaten in dit geschiedenisbestand (SQLite). Standaard: geen geschiedenis.</translation>
    </message>
    <message>
        <source>usage: okhealth-check serve FILE [--deployment NAME]... [--listen ADDRESS:PORT] [--db PATH]
</source>
        <translation>gebruik: okhealth-check serve FILE [--deployment NAME]... [--listen ADDRESS:PORT] [--db PATH]
</translation>
    </message>
    <message>
        <source>--listen: expected ADDRESS:PORT with an IP address (IPv6 in brackets), got &quot;%1&quot;
</source>
        <translation>--listen: verwacht ADDRESS:PORT met een IP-adres (IPv6 tussen vierkante haken), maar &quot;%1&quot; gevonden
</translation>
    </message>
    <message>
        <source>--db: expected a file path
</source>
        <translation>--db: verwacht een bestandspad
</translation>
    </message>
    <message>
        <source>%1: no deployment named &quot;%2&quot; (the file has: %3)
</source>
        <translation>%1: geen omgeving met de naam &quot;%2&quot; (het bestand bevat: %3)
</translation>
    </message>
    <message>
        <source>cannot install the signal handlers: %1
</source>
        <translation>kan de signaalhandlers niet installeren: %1
</translation>
    </message>
    <message>
        <source>the history file did not take the last results within 10 s; stopping without them
</source>
        <translation>het geschiedenisbestand nam de laatste resultaten niet binnen 10 s op; stopt zonder die resultaten
</translation>
    </message>
    <message>
        <source>%1; give each serve its own --db
</source>
        <translation>%1; geef elke serve een eigen --db
</translation>
    </message>
</context>
<context>
    <name>okh::ServiceAssessment</name>
    <message>
        <source>would be restarted: startup check %1 did not pass in time</source>
        <translation>zou worden herstart: startup-controle %1 is niet op tijd geslaagd</translation>
    </message>
    <message>
        <source>starting: waiting for the startup check to pass</source>
        <translation>start op: wacht tot de startup-controle slaagt</translation>
    </message>
    <message>
        <source>would be restarted: liveness check %1 is failing</source>
        <translation>zou worden herstart: liveness-controle %1 faalt</translation>
    </message>
    <message>
        <source>out of rotation: readiness check %1 is failing</source>
        <translation>uit roulatie: readiness-controle %1 faalt</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>nog niet bekend</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>in bedrijf</translation>
    </message>
</context>
<context>
    <name>okh::ServiceTileDelegate</name>
    <message>
        <source>no result yet</source>
        <translation>nog geen resultaat</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s geleden</numerusform>
            <numerusform>%n s geleden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min geleden</numerusform>
            <numerusform>%n min geleden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n uur geleden</numerusform>
            <numerusform>%n uur geleden</numerusform>
        </translation>
    </message>
    <message>
        <source>waiting for the first results</source>
        <translation>wacht op de eerste resultaten</translation>
    </message>
    <message>
        <source>acknowledged by %1</source>
        <translation>bevestigd door %1</translation>
    </message>
</context>
<context>
    <name>okh::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Voorkeuren</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Algemeen</translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Meldingen</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Geschiedenis</translation>
    </message>
    <message>
        <source>Every setting on these pages back to its default</source>
        <translation>Elke instelling op deze pagina&apos;s terug naar de standaard</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Zoals het systeem</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Taal:</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>T&amp;hema:</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Licht</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Donker</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Start &amp;minimised to the tray</source>
        <translation>Geminimaliseerd &amp;starten in het systeemvak</translation>
    </message>
    <message>
        <source>The window stays hidden at start; the tray icon shows the status</source>
        <translation>Het venster blijft bij de start verborgen; het systeemvakpictogram toont de status</translation>
    </message>
    <message>
        <source>Start at &amp;login</source>
        <translation>Starten bij &amp;inloggen</translation>
    </message>
    <message>
        <source>An autostart entry starts OK Health when you log in to this desktop</source>
        <translation>Een autostart-item start OK Health als je op deze desktop inlogt</translation>
    </message>
    <message>
        <source>&amp;Closing the window keeps watching in the tray</source>
        <translation>&amp;Venster sluiten blijft bewaken in het systeemvak</translation>
    </message>
    <message>
        <source>Quit from the File menu or the tray icon&apos;s menu</source>
        <translation>Afsluiten via het menu Bestand of het menu van het systeemvakpictogram</translation>
    </message>
    <message>
        <source>Show &amp;desktop notifications</source>
        <translation>&amp;Bureaubladmeldingen tonen</translation>
    </message>
    <message>
        <source>When a service changes state, root cause first</source>
        <translation>Als een service van toestand wisselt, grondoorzaak voorop</translation>
    </message>
    <message>
        <source>Notify when a service:</source>
        <translation>Melden als een service:</translation>
    </message>
    <message>
        <source>would be &amp;restarted (a liveness or startup check fails)</source>
        <translation>&amp;herstart zou worden (een liveness- of startcontrole faalt)</translation>
    </message>
    <message>
        <source>The orchestrator would restart it</source>
        <translation>De orchestrator zou hem herstarten</translation>
    </message>
    <message>
        <source>goes &amp;out of rotation (a readiness check fails)</source>
        <translation>uit de &amp;rotatie gaat (een readiness-controle faalt)</translation>
    </message>
    <message>
        <source>It would get no traffic</source>
        <translation>Hij zou geen verkeer krijgen</translation>
    </message>
    <message>
        <source>cannot be &amp;checked (no answer from the monitor&apos;s side, SSH down)</source>
        <translation>niet te &amp;controleren is (geen antwoord aan de kant van de monitor, SSH weg)</translation>
    </message>
    <message>
        <source>The monitor&apos;s own trouble, not the service&apos;s</source>
        <translation>Een probleem van de monitor zelf, niet van de service</translation>
    </message>
    <message>
        <source>After a notification that it was failing</source>
        <translation>Na een melding dat hij faalde</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>At most one notification per service in this many minutes</source>
        <translation>Hoogstens één melding per service in zoveel minuten</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>geen grens</translation>
    </message>
    <message>
        <source>At most one per service every:</source>
        <translation>Hoogstens één per service per:</translation>
    </message>
    <message>
        <source>Play a &amp;sound</source>
        <translation>Ge&amp;luid afspelen</translation>
    </message>
    <message>
        <source>The desktop&apos;s warning sound</source>
        <translation>Het waarschuwingsgeluid van de desktop</translation>
    </message>
    <message>
        <source>Changes within a few seconds go out as one notification; a service that keeps changing is told once, then again when it has settled.</source>
        <translation>Wijzigingen binnen enkele seconden gaan als één melding; een service die steeds wisselt wordt één keer gemeld, en weer als hij tot rust is gekomen.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dagen</translation>
    </message>
    <message>
        <source>forever</source>
        <translation>altijd</translation>
    </message>
    <message>
        <source>Every &amp;result:</source>
        <translation>Elk &amp;resultaat:</translation>
    </message>
    <message>
        <source>Keep every result for</source>
        <translation>Elk resultaat bewaren gedurende</translation>
    </message>
    <message>
        <source>Per-&amp;minute summaries:</source>
        <translation>Samenvattingen per mi&amp;nuut:</translation>
    </message>
    <message>
        <source>Keep per-minute summaries for</source>
        <translation>Samenvattingen per minuut bewaren gedurende</translation>
    </message>
    <message>
        <source>Per-h&amp;our summaries:</source>
        <translation>Samenvattingen per &amp;uur:</translation>
    </message>
    <message>
        <source>Keep per-hour summaries for</source>
        <translation>Samenvattingen per uur bewaren gedurende</translation>
    </message>
    <message>
        <source>Older rows are removed in small steps while the app runs; the history view uses the summaries for long ranges.</source>
        <translation>Oudere rijen worden in kleine stappen verwijderd terwijl de app draait; de geschiedenis gebruikt de samenvattingen voor lange periodes.</translation>
    </message>
    <message>
        <source>The language changes when OK Health is started again.</source>
        <translation>De taal wijzigt als OK Health opnieuw start.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Opslaan…</translation>
    </message>
    <message>
        <source>Start at login could not be saved: %1</source>
        <translation>Starten bij inloggen kon niet worden opgeslagen: %1</translation>
    </message>
    <message>
        <source>Starts at login: %1</source>
        <translation>Start bij inloggen: %1</translation>
    </message>
    <message>
        <source>is healthy &amp;again</source>
        <translation>&amp;weer gezond is</translation>
    </message>
    <message>
        <source>&amp;Checks</source>
        <translation>&amp;Controles</translation>
    </message>
    <message>
        <source>For checks added in the deployment editor; a deployment file without them means 10 s and 1 s.</source>
        <translation>Voor controles die in de deployment-editor worden toegevoegd; een deploymentbestand zonder deze waarden betekent 10 s en 1 s.</translation>
    </message>
    <message>
        <source>&amp;Interval:</source>
        <translation>&amp;Interval:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Interval of new checks</source>
        <translation>Interval van nieuwe controles</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>&amp;Time-out:</translation>
    </message>
    <message>
        <source>Timeout of new checks</source>
        <translation>Time-out van nieuwe controles</translation>
    </message>
</context>
<context>
    <name>okh::SmokeCheckDialog</name>
    <message>
        <source>Smoke Check: %1</source>
        <translation>Rooktest: %1</translation>
    </message>
    <message>
        <source>&amp;Wait until ready, at most</source>
        <translation>&amp;Wachten tot gereed, hoogstens</translation>
    </message>
    <message>
        <source>Runs every check again, a second apart, until every liveness, readiness and startup check is healthy or the time is up, as okhealth-check run --wait-ready does for releases.</source>
        <translation>Voert elke controle opnieuw uit, een seconde na elkaar, tot elke liveness-, readiness- en startup-controle gezond is of de tijd om is, zoals okhealth-check run --wait-ready dat voor releases doet.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Longest wait until ready, in seconds</source>
        <translation>Langste wachttijd tot gereed, in seconden</translation>
    </message>
    <message>
        <source>&amp;Run Again</source>
        <translation>&amp;Opnieuw uitvoeren</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <source>Checks done</source>
        <translation>Uitgevoerde controles</translation>
    </message>
    <message>
        <source>%v of %m checks</source>
        <translation>%v van %m controles</translation>
    </message>
    <message>
        <source>Smoke check results per service</source>
        <translation>Resultaten van de rooktest per service</translation>
    </message>
    <message>
        <source>Failure details of the selected check</source>
        <translation>Foutdetails van de gekozen controle</translation>
    </message>
    <message>
        <source>Select a failing check to see its target, details and hint.</source>
        <translation>Kies een falende controle om het doel, de details en de tip te zien.</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exporteren</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>&amp;Copy as Markdown</source>
        <translation>&amp;Kopiëren als Markdown</translation>
    </message>
    <message>
        <source>Running every check of %1…</source>
        <translation>Elke controle van %1 wordt uitgevoerd…</translation>
    </message>
    <message>
        <source>Stopped before any result.</source>
        <translation>Gestopt voor er een resultaat was.</translation>
    </message>
    <message>
        <source>Round %1: %2 of %3 checks</source>
        <translation>Ronde %1: %2 van %3 controles</translation>
    </message>
    <message>
        <source>%1 of %2 checks</source>
        <translation>%1 van %2 controles</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n check(s) to become healthy</source>
        <translation>
            <numerusform>Wachten tot %n controle gezond is</numerusform>
            <numerusform>Wachten tot %n controles gezond zijn</numerusform>
        </translation>
    </message>
    <message>
        <source> (%1 s left)</source>
        <translation> (nog %1 s)</translation>
    </message>
    <message>
        <source>The smoke check could not run: %1</source>
        <translation>De rooktest kon niet worden uitgevoerd: %1</translation>
    </message>
    <message>
        <source>Root cause: %1</source>
        <translation>Grondoorzaak: %1</translation>
    </message>
    <message>
        <source>Export Smoke Check as %1</source>
        <translation>Rooktest exporteren als %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 opgeslagen</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Kan %1 niet opslaan: %2</translation>
    </message>
    <message>
        <source>Monitoring is not running.</source>
        <translation>De bewaking draait niet.</translation>
    </message>
</context>
<context>
    <name>okh::SmokeReportModel</name>
    <message>
        <source>passed</source>
        <translation>geslaagd</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>mislukt</translation>
    </message>
    <message>
        <source>could not run</source>
        <translation>niet uitgevoerd</translation>
    </message>
    <message>
        <source>root cause</source>
        <translation>grondoorzaak</translation>
    </message>
    <message numerus="yes">
        <source>because %1 is failing</source>
        <translation>
            <numerusform>door storing in %1</numerusform>
            <numerusform>door storingen in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultaat</translation>
    </message>
    <message>
        <source>Service / check</source>
        <translation>Service / controle</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Samenvatting</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latentie</translation>
    </message>
</context>
<context>
    <name>okh::SocketFailure</name>
    <message>
        <source>connection refused by %1</source>
        <translation>verbinding geweigerd door %1</translation>
    </message>
    <message>
        <source>Nothing listens on that port: the container is down, still starting, or listens on another port or interface.</source>
        <translation>Er luistert niets op die poort: de container is down, start nog op, of luistert op een andere poort of interface.</translation>
    </message>
    <message>
        <source>cannot resolve the host name of %1</source>
        <translation>kan de hostnaam van %1 niet omzetten</translation>
    </message>
    <message>
        <source>DNS failure on the monitor&apos;s side: check the host name in the deployment file, or reach the deployment through its SSH connection where the name resolves.</source>
        <translation>DNS-fout aan de kant van de monitor: controleer de hostnaam in het omgevingsbestand, of bereik de omgeving via haar SSH-verbinding, waar de naam wel wordt omgezet.</translation>
    </message>
    <message>
        <source>%1 closed the connection without answering</source>
        <translation>%1 sloot de verbinding zonder te antwoorden</translation>
    </message>
    <message>
        <source>The port is open but the peer hung up: a different service may listen there, or the service is overloaded or restarting.</source>
        <translation>De poort is open, maar de tegenpartij verbrak de verbinding: mogelijk luistert daar een andere dienst, of de dienst is overbelast of herstart.</translation>
    </message>
    <message>
        <source>the SSH server refused to forward the connection to %1</source>
        <translation>de SSH-server weigerde de verbinding naar %1 door te sturen</translation>
    </message>
    <message>
        <source>Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this target); ask its administrator, or run the check as an exec check on the host.</source>
        <translation>Port forwarding staat uit op de SSH-server (AllowTcpForwarding no, of PermitOpen sluit dit doel uit); vraag het aan de beheerder ervan, of voer de controle uit als exec-controle op de host.</translation>
    </message>
    <message>
        <source>cannot reach %1 through the SSH tunnel: %2</source>
        <translation>kan %1 niet bereiken via de SSH-tunnel: %2</translation>
    </message>
    <message>
        <source>The deployment&apos;s SSH connection is down or reconnecting.</source>
        <translation>De SSH-verbinding van de omgeving is verbroken of wordt opnieuw opgebouwd.</translation>
    </message>
    <message>
        <source>cannot reach %1: %2</source>
        <translation>kan %1 niet bereiken: %2</translation>
    </message>
    <message>
        <source>The monitor has no route to the host: check the network or VPN, or use an SSH connection.</source>
        <translation>De monitor heeft geen route naar de host: controleer het netwerk of de VPN, of gebruik een SSH-verbinding.</translation>
    </message>
    <message>
        <source>%1 did not answer in time</source>
        <translation>%1 antwoordde niet op tijd</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>TLS-handshake met %1 mislukt: %2</translation>
    </message>
    <message>
        <source>The certificate is not trusted, expired or for another name, or the port does not speak TLS.</source>
        <translation>Het certificaat wordt niet vertrouwd, is verlopen of is voor een andere naam, of de poort spreekt geen TLS.</translation>
    </message>
    <message>
        <source>connection to %1 failed: %2</source>
        <translation>verbinding met %1 mislukt: %2</translation>
    </message>
</context>
<context>
    <name>okh::SshConfigFile</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>kan het bestand niet lezen: %1</translation>
    </message>
    <message>
        <source>cannot read the included file %1: %2</source>
        <translation>kan het ingevoegde bestand %1 niet lezen: %2</translation>
    </message>
    <message>
        <source>the file is larger than 4 MiB; is it an ssh config?</source>
        <translation>het bestand is groter dan 4 MiB; is het wel een ssh-config?</translation>
    </message>
    <message>
        <source>no argument after keyword %1</source>
        <translation>geen argument na sleutelwoord %1</translation>
    </message>
    <message>
        <source>invalid quotes: a quote is not closed</source>
        <translation>ongeldige aanhalingstekens: een aanhalingsteken is niet gesloten</translation>
    </message>
    <message>
        <source>%1 takes one value; quote a value with spaces</source>
        <translation>%1 accepteert één waarde; zet een waarde met spaties tussen aanhalingstekens</translation>
    </message>
    <message>
        <source>Host: an empty pattern</source>
        <translation>Host: een leeg patroon</translation>
    </message>
    <message>
        <source>StrictHostKeyChecking: unknown value %1 (ssh takes: %2)</source>
        <translation>StrictHostKeyChecking: onbekende waarde %1 (ssh accepteert: %2)</translation>
    </message>
    <message>
        <source>ProxyJump: %1</source>
        <translation>ProxyJump: %1</translation>
    </message>
    <message>
        <source>Include: nested more than %1 levels deep; does a file include itself?</source>
        <translation>Include: meer dan %1 niveaus diep genest; voegt een bestand zichzelf in?</translation>
    </message>
    <message>
        <source>Include: cannot expand %1</source>
        <translation>Include: kan %1 niet expanderen</translation>
    </message>
    <message>
        <source>an unterminated ${ in %1</source>
        <translation>een niet-afgesloten ${ in %1</translation>
    </message>
    <message>
        <source>environment variable %1 is not set</source>
        <translation>omgevingsvariabele %1 is niet ingesteld</translation>
    </message>
    <message>
        <source>a lone &apos;%&apos; at the end of %1; write %% for a percent sign</source>
        <translation>een losse &apos;%&apos; aan het eind van %1; schrijf %% voor een procentteken</translation>
    </message>
    <message>
        <source>unsupported token %1 in %2 (supported: %%, %d, %h, %i, %k, %L, %l, %n, %p, %r, %u, %j)</source>
        <translation>niet-ondersteund token %1 in %2 (ondersteund: %%, %d, %h, %i, %k, %L, %l, %n, %p, %r, %u, %j)</translation>
    </message>
    <message>
        <source>an empty user name in %1</source>
        <translation>een lege gebruikersnaam in %1</translation>
    </message>
    <message>
        <source>%1 is not [user@]host[:port]</source>
        <translation>%1 is geen [user@]host[:port]</translation>
    </message>
    <message>
        <source>an empty element in %1</source>
        <translation>een leeg element in %1</translation>
    </message>
    <message>
        <source>no host in %1</source>
        <translation>geen host in %1</translation>
    </message>
    <message>
        <source>bad port in %1</source>
        <translation>ongeldige poort in %1</translation>
    </message>
    <message>
        <source>bad owner or permissions: the file must belong to you or root and not be writable by group or others (OpenSSH refuses it too); chmod go-w</source>
        <translation>verkeerde eigenaar of rechten: het bestand moet van u of root zijn en niet schrijfbaar voor groep of anderen (OpenSSH weigert het ook); chmod go-w</translation>
    </message>
    <message>
        <source>Port: expected a port from 1 to 65535 or a service name, got %1</source>
        <translation>Port: verwacht een poort van 1 tot en met 65535 of een servicenaam, maar %1 gevonden</translation>
    </message>
</context>
<context>
    <name>okh::SshConnectionTest</name>
    <message numerus="yes">
        <source>no answer within %n second(s)</source>
        <translation>
            <numerusform>geen antwoord binnen %n seconde</numerusform>
            <numerusform>geen antwoord binnen %n seconden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::SshHostKey</name>
    <message>
        <source>no host key to add</source>
        <translation>geen hostsleutel om toe te voegen</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>kan %1 niet aanmaken</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>kan %1 niet schrijven: %2</translation>
    </message>
</context>
<context>
    <name>okh::SshPrompts</name>
    <message>
        <source>SSH Host Key Changed</source>
        <translation>SSH-hostsleutel gewijzigd</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;The SSH server of deployment %1 (%2) offered a different host key than its known_hosts file has.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Someone may be intercepting the connection, or the host was reinstalled. OK Health does not connect to it. Ask the host&apos;s administrator for the new key&apos;s fingerprint, and correct %3 yourself once it is confirmed.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;De SSH-server van deployment %1 (%2) bood een andere hostsleutel aan dan in het known_hosts-bestand staat.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Misschien onderschept iemand de verbinding, of de host is opnieuw geïnstalleerd. OK Health maakt geen verbinding. Vraag de beheerder van de host om de vingerafdruk van de nieuwe sleutel en pas %3 zelf aan zodra die bevestigd is.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Offered: %1 key %2</source>
        <translation>Aangeboden: %1-sleutel %2</translation>
    </message>
    <message>
        <source>Cannot Trust the Host Key</source>
        <translation>Kan de hostsleutel niet vertrouwen</translation>
    </message>
    <message>
        <source>The host key of %1 (deployment %2) could not be added: %3</source>
        <translation>De hostsleutel van %1 (deployment %2) kon niet worden toegevoegd: %3</translation>
    </message>
</context>
<context>
    <name>okh::SshSession</name>
    <message>
        <source>SSH handshake with %1 timed out</source>
        <translation>time-out bij SSH-handshake met %1</translation>
    </message>
    <message>
        <source>SSH handshake with %1 failed: %2</source>
        <translation>SSH-handshake met %1 mislukt: %2</translation>
    </message>
    <message>
        <source>the server sent no host key</source>
        <translation>de server stuurde geen hostsleutel</translation>
    </message>
    <message>
        <source>cannot read known_hosts file %1: %2</source>
        <translation>kan known_hosts-bestand %1 niet lezen: %2</translation>
    </message>
    <message>
        <source>HOST KEY CHANGED for %1: the server offers %2 key %3, which differs from %4. Someone may be intercepting the connection, or the host was reinstalled; verify the key with its administrator before you update known_hosts.</source>
        <translation>HOSTSLEUTEL GEWIJZIGD voor %1: de server biedt %2-sleutel %3 aan, die afwijkt van %4. Mogelijk onderschept iemand de verbinding, of de host is opnieuw geïnstalleerd; verifieer de sleutel bij de beheerder voordat u known_hosts bijwerkt.</translation>
    </message>
    <message>
        <source>the host key of %1 is unknown: %2 key fingerprint is %3. Check it with the host&apos;s administrator, then add it to %4 (or set hostKeyPolicy to accept-new).</source>
        <translation>de hostsleutel van %1 is onbekend: de vingerafdruk van de %2-sleutel is %3. Controleer deze bij de beheerder van de host en voeg hem daarna toe aan %4 (of zet hostKeyPolicy op accept-new).</translation>
    </message>
    <message>
        <source>cannot check the host key of %1: %2</source>
        <translation>kan de hostsleutel van %1 niet controleren: %2</translation>
    </message>
    <message>
        <source>%1: cannot list authentication methods: %2</source>
        <translation>%1: kan de authenticatiemethoden niet opvragen: %2</translation>
    </message>
    <message>
        <source>%1: authentication timed out</source>
        <translation>%1: time-out bij authenticatie</translation>
    </message>
    <message>
        <source>the agent&apos;s keys</source>
        <translation>de sleutels van de agent</translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation>%1 (ontbreekt)</translation>
    </message>
    <message>
        <source>%1 (no passphrase given)</source>
        <translation>%1 (geen wachtwoordzin opgegeven)</translation>
    </message>
    <message>
        <source>%1 (cannot read it: wrong passphrase or unsupported format)</source>
        <translation>%1 (onleesbaar: verkeerde wachtwoordzin of niet-ondersteund formaat)</translation>
    </message>
    <message>
        <source>%1 (RSA: libssh2 signs with SHA-1, which OpenSSH 8.8+ refuses by default; use an ed25519 key)</source>
        <translation>%1 (RSA: libssh2 ondertekent met SHA-1, dat OpenSSH 8.8+ standaard weigert; gebruik een ed25519-sleutel)</translation>
    </message>
    <message>
        <source>%1: authentication failed (server accepts: %2; tried: %3)</source>
        <translation>%1: authenticatie mislukt (server accepteert: %2; geprobeerd: %3)</translation>
    </message>
    <message>
        <source>no keys</source>
        <translation>geen sleutels</translation>
    </message>
    <message>
        <source>cannot add the host key: %1</source>
        <translation>kan de hostsleutel niet toevoegen: %1</translation>
    </message>
</context>
<context>
    <name>okh::SshTunnel</name>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation>kan %1 niet omzetten: %2</translation>
    </message>
    <message>
        <source>no TCP connection to %1 within %2 s</source>
        <translation>geen TCP-verbinding met %1 binnen %2 s</translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>kan geen verbinding maken met %1: %2</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>time-out</translation>
    </message>
    <message>
        <source>jump host %1 cannot reach %2: %3</source>
        <translation>jumphost %1 kan %2 niet bereiken: %3</translation>
    </message>
    <message>
        <source>cannot create a socket pair</source>
        <translation>kan geen socketpaar aanmaken</translation>
    </message>
    <message>
        <source>cannot reach deployment: %1</source>
        <translation>kan omgeving niet bereiken: %1</translation>
    </message>
    <message>
        <source>cannot open an exec channel: %1</source>
        <translation>kan geen exec-kanaal openen: %1</translation>
    </message>
    <message>
        <source>the SSH server refused to run the command: %1</source>
        <translation>de SSH-server weigerde de opdracht uit te voeren: %1</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>niet verbonden</translation>
    </message>
    <message>
        <source>the connection to the SSH server failed</source>
        <translation>de verbinding met de SSH-server is mislukt</translation>
    </message>
    <message>
        <source>the connection through the jump host was lost</source>
        <translation>de verbinding via de jumphost is verbroken</translation>
    </message>
    <message>
        <source>monitor stopped</source>
        <translation>monitor gestopt</translation>
    </message>
    <message>
        <source>cannot open the local tunnel endpoint on 127.0.0.1</source>
        <translation>kan het lokale tunneleindpunt op 127.0.0.1 niet openen</translation>
    </message>
    <message>
        <source>not connected yet</source>
        <translation>nog niet verbonden</translation>
    </message>
    <message>
        <source>the SSH server did not answer a channel request within %1 s</source>
        <translation>de SSH-server beantwoordde een kanaalverzoek niet binnen %1 s</translation>
    </message>
    <message>
        <source>the connection was lost while the command ran</source>
        <translation>de verbinding ging verloren terwijl de opdracht liep</translation>
    </message>
    <message>
        <source>cannot start the command: the SSH connection is congested</source>
        <translation>kan de opdracht niet starten: de SSH-verbinding is overbelast</translation>
    </message>
    <message>
        <source>the connection to the SSH server stopped taking data</source>
        <translation>de verbinding met de SSH-server neemt geen gegevens meer aan</translation>
    </message>
</context>
<context>
    <name>okh::StatusHttpServer</name>
    <message>
        <source>Endpoints: /metrics (Prometheus), /status (JSON).</source>
        <translation>Endpoints: /metrics (Prometheus), /status (JSON).</translation>
    </message>
</context>
<context>
    <name>okh::TcpProbe</name>
    <message>
        <source>no host or port configured</source>
        <translation>geen host of poort ingesteld</translation>
    </message>
    <message>
        <source>no connection to %1 within %2</source>
        <translation>geen verbinding met %1 binnen %2</translation>
    </message>
    <message>
        <source>Packets are dropped on the way (firewall) or the host is down.</source>
        <translation>Pakketten worden onderweg weggegooid (firewall) of de host is down.</translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation>verbonden met %1</translation>
    </message>
</context>
<context>
    <name>okh::TerminalPassphrase</name>
    <message>
        <source>Enter passphrase for key &apos;%1&apos;: </source>
        <translation>Voer de wachtwoordzin in voor sleutel &apos;%1&apos;: </translation>
    </message>
</context>
<context>
    <name>okh::TextReport</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) failing</source>
        <translation>
            <numerusform>%n controle faalt</numerusform>
            <numerusform>%n controles falen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) could not run</source>
        <translation>
            <numerusform>%n controle kon niet worden uitgevoerd</numerusform>
            <numerusform>%n controles konden niet worden uitgevoerd</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %n check(s) passed</source>
        <translation>
            <numerusform>%n controle geslaagd</numerusform>
            <numerusform>alle %n controles geslaagd</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n info check(s) not healthy</source>
        <translation>
            <numerusform>%n info-controle niet gezond</numerusform>
            <numerusform>%n info-controles niet gezond</numerusform>
        </translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>grondoorzaak: %1</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message numerus="yes">
        <source>because %1 is failing</source>
        <translation>
            <numerusform>door storing in %1</numerusform>
            <numerusform>door storingen in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>target: %1</source>
        <translation>doel: %1</translation>
    </message>
    <message>
        <source>hint: %1</source>
        <translation>tip: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: consequence of %2 — %3</source>
        <translation>%1: gevolg van %2 — %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n check(s) in %2</source>
        <translation>
            <numerusform>%1 · %n controle in %2</numerusform>
            <numerusform>%1 · %n controles in %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::TimelineBand</name>
    <message numerus="yes">
        <source>%1 %2–%3 (%4, %n result(s))</source>
        <translation>
            <numerusform>%1 %2–%3 (%4, %n resultaat)</numerusform>
            <numerusform>%1 %2–%3 (%4, %n resultaten)</numerusform>
        </translation>
    </message>
    <message>
        <source>no results in this range</source>
        <translation>geen resultaten in deze periode</translation>
    </message>
    <message>
        <source>no results before %1</source>
        <translation>geen resultaten vóór %1</translation>
    </message>
</context>
<context>
    <name>okh::TrayIcon</name>
    <message>
        <source>&amp;Show OK Health</source>
        <translation>OK Health &amp;tonen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
</context>
<context>
    <name>okh::TrayStatus</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>OK Health</source>
        <translation>OK Health</translation>
    </message>
    <message>
        <source>No deployment open</source>
        <translation>Geen deployment geopend</translation>
    </message>
    <message numerus="yes">
        <source>%n unhealthy</source>
        <translation>
            <numerusform>%n ongezond</numerusform>
            <numerusform>%n ongezond</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unknown</source>
        <translation>
            <numerusform>%n onbekend</numerusform>
            <numerusform>%n onbekend</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n healthy</source>
        <translation>
            <numerusform>%n gezond</numerusform>
            <numerusform>%n gezond</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deployment(s): %1</source>
        <translation>
            <numerusform>%n deployment: %1</numerusform>
            <numerusform>%n deployments: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::TunnelVerdict</name>
    <message>
        <source>The monitor cannot reach the deployment over SSH; the services&apos; state is not known. The connection is retried with backoff.</source>
        <translation>De monitor kan de omgeving niet via SSH bereiken; de toestand van de diensten is onbekend. De verbinding wordt opnieuw geprobeerd met toenemende wachttijd.</translation>
    </message>
    <message>
        <source>the SSH server refused to forward the connection to %1</source>
        <translation>de SSH-server weigerde de verbinding naar %1 door te sturen</translation>
    </message>
    <message>
        <source>Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this target); ask its administrator, or check from the host with an exec check.</source>
        <translation>Port forwarding staat uit op de SSH-server (AllowTcpForwarding no, of PermitOpen sluit dit doel uit); vraag het aan de beheerder ervan, of controleer vanaf de host met een exec-controle.</translation>
    </message>
</context>
<context>
    <name>okh::ValidateCommand</name>
    <message>
        <source>direct</source>
        <translation>direct</translation>
    </message>
    <message>
        <source>ssh %1</source>
        <translation>ssh %1</translation>
    </message>
    <message>
        <source>%1 through %2</source>
        <translation>%1 via %2</translation>
    </message>
    <message>
        <source>deployment %1: %2
</source>
        <translation>omgeving %1: %2
</translation>
    </message>
    <message>
        <source>  service %1 (%2)</source>
        <translation>  dienst %1 (%2)</translation>
    </message>
    <message>
        <source>, depends on %1</source>
        <translation>, hangt af van %1</translation>
    </message>
    <message>
        <source>    %1: %2 %3, every %4, timeout %5: %6
</source>
        <translation>    %1: %2 %3, elke %4, time-out %5: %6
</translation>
    </message>
    <message>
        <source>Checks deployment files without connecting to anything: loads each as run and serve would, prints what it would watch, exits 0 when every file is valid and 2 otherwise.</source>
        <translation>Controleert deploymentbestanden zonder ergens verbinding mee te maken: laadt elk bestand zoals run en serve dat doen, toont wat bewaakt zou worden, en eindigt met 0 als elk bestand geldig is, anders met 2.</translation>
    </message>
    <message>
        <source>Deployment files (JSON, see docs/deployment-file.md).</source>
        <translation>Deploymentbestanden (JSON, zie docs/deployment-file.md).</translation>
    </message>
    <message>
        <source>Print only errors, not what would be watched.</source>
        <translation>Alleen fouten tonen, niet wat bewaakt zou worden.</translation>
    </message>
    <message>
        <source>usage: okhealth-check validate FILE... [--quiet]
</source>
        <translation>gebruik: okhealth-check validate FILE... [--quiet]
</translation>
    </message>
    <message>
        <source>%1: valid: %2, %3, %4
</source>
        <translation>%1: geldig: %2, %3, %4
</translation>
    </message>
    <message numerus="yes">
        <source>%n deployment(s)</source>
        <translation>
            <numerusform>%n omgeving</numerusform>
            <numerusform>%n omgevingen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation>
            <numerusform>%n dienst</numerusform>
            <numerusform>%n diensten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s)</source>
        <translation>
            <numerusform>%n controle</numerusform>
            <numerusform>%n controles</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::VariableExpansion</name>
    <message>
        <source>unterminated &quot;${&quot;: write ${NAME}, or $${ for a literal &quot;${&quot;</source>
        <translation>niet-afgesloten &quot;${&quot;: schrijf ${NAME}, of $${ voor een letterlijke &quot;${&quot;</translation>
    </message>
    <message>
        <source>environment variable %1 is not set</source>
        <translation>omgevingsvariabele %1 is niet ingesteld</translation>
    </message>
    <message>
        <source>&quot;${}&quot; names no variable</source>
        <translation>&quot;${}&quot; noemt geen variabele</translation>
    </message>
    <message>
        <source>&quot;${%1&quot; is followed by %2, which a variable name cannot hold: names are letters, digits and &apos;_&apos;, not starting with a digit; a default is written ${NAME:-default}</source>
        <translation>&quot;${%1&quot; wordt gevolgd door %2, dat niet in een variabelenaam mag staan: namen bestaan uit letters, cijfers en &apos;_&apos; en beginnen niet met een cijfer; een standaardwaarde schrijf je als ${NAME:-default}</translation>
    </message>
    <message>
        <source>the default of ${%1:-…} holds another &quot;${&quot;: nested references are not supported</source>
        <translation>de standaardwaarde van ${%1:-…} bevat nog een &quot;${&quot;: geneste verwijzingen worden niet ondersteund</translation>
    </message>
    <message>
        <source>&quot;${keychain:%1}&quot; is not a keychain key: keys are letters, digits and &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, &apos;/&apos;</source>
        <translation>&quot;${keychain:%1}&quot; is geen sleutelbossleutel: sleutels bestaan uit letters, cijfers en &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, &apos;/&apos;</translation>
    </message>
    <message>
        <source>keychain entry &quot;%1&quot; was not found</source>
        <translation>sleutelbositem &quot;%1&quot; is niet gevonden</translation>
    </message>
    <message>
        <source>keychain entry &quot;%1&quot;: %2</source>
        <translation>sleutelbositem &quot;%1&quot;: %2</translation>
    </message>
</context>
<context>
    <name>okh::WorkerPicker</name>
    <message>
        <source>A worker is called celery@HOSTNAME unless started with -n: in a container that is the container&apos;s hostname (often its ID), not the service&apos;s name. Empty: any worker.</source>
        <translation>Een worker heet celery@HOSTNAAM tenzij gestart met -n: in een container is dat de hostnaam van de container (vaak zijn ID), niet de naam van de service. Leeg: elke worker.</translation>
    </message>
    <message>
        <source>&amp;Find Workers</source>
        <translation>&amp;Workers zoeken</translation>
    </message>
    <message>
        <source>Ping every worker on this broker and listen for their heartbeats</source>
        <translation>Elke worker op deze broker pingen en naar hun heartbeats luisteren</translation>
    </message>
    <message>
        <source>Workers found</source>
        <translation>Gevonden workers</translation>
    </message>
    <message>
        <source>Correct the deployment first: the broker is read from it</source>
        <translation>Verbeter eerst de deployment: de broker wordt eruit gelezen</translation>
    </message>
    <message>
        <source>Asking the workers on %1…</source>
        <translation>De workers op %1 vragen…</translation>
    </message>
    <message>
        <source>Cannot ask the broker: %1</source>
        <translation>Kan de broker niet vragen: %1</translation>
    </message>
    <message>
        <source>No worker answered or sent a heartbeat on this broker.</source>
        <translation>Geen worker antwoordde of stuurde een heartbeat op deze broker.</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) found: activate one to add it.</source>
        <translation>
            <numerusform>%n worker gevonden: activeer hem om hem toe te voegen.</numerusform>
            <numerusform>%n workers gevonden: activeer er een om hem toe te voegen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::main</name>
    <message>
        <source>okhealth-check: unknown command &quot;%1&quot;

</source>
        <translation>okhealth-check: onbekende opdracht &quot;%1&quot;

</translation>
    </message>
    <message>
        <source>Live health of Open Klant deployments.</source>
        <translation>Live gezondheid van Open Klant-deployments.</translation>
    </message>
    <message>
        <source>Deployment files to open.</source>
        <translation>Deploymentbestanden om te openen.</translation>
    </message>
    <message>
        <source>Start a stand-in Open Klant deployment of real servers on this computer (redis, PostgreSQL, Django, Celery, nginx) and watch it.</source>
        <translation>Start een stand-in Open Klant-deployment van echte servers op deze computer (redis, PostgreSQL, Django, Celery, nginx) en bewaak die.</translation>
    </message>
    <message>
        <source>As --demo, unless deployment files were opened before.</source>
        <translation>Als --demo, tenzij er eerder deploymentbestanden geopend zijn.</translation>
    </message>
    <message>
        <source>Usage: okhealth-check COMMAND [OPTIONS]

Health checks for Open Klant deployments.

Commands:
  run FILE              run every check of a deployment once and report per service
  serve FILE            run the checks continuously; serve /metrics (Prometheus) and /status
  validate FILE...      check deployment files without connecting; print what they watch
  health-check          HTTP check, a drop-in for `maykin-common health-check`
  worker-health-check   Celery worker check, a drop-in for `maykin-common worker-health-check`
  beat-health-check     Celery beat check, a drop-in for `maykin-common beat-health-check`

Run `okhealth-check COMMAND --help` for the options of a command.
</source>
        <translation>Gebruik: okhealth-check COMMAND [OPTIONS]

Gezondheidscontroles voor Open Klant-omgevingen.

Opdrachten:
  run FILE              voer elke controle van een omgeving eenmaal uit en rapporteer per dienst
  serve FILE            voer de controles doorlopend uit; lever /metrics (Prometheus) en /status
  validate FILE...      controleer deploymentbestanden zonder verbinding te maken; toon wat ze bewaken
  health-check          HTTP-controle, drop-in-vervanging voor `maykin-common health-check`
  worker-health-check   controle van Celery-workers, drop-in-vervanging voor `maykin-common worker-health-check`
  beat-health-check     controle van Celery beat, drop-in-vervanging voor `maykin-common beat-health-check`

Voer `okhealth-check COMMAND --help` uit voor de opties van een opdracht.
</translation>
    </message>
</context>
</TS>
