<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>okh::AlertPlanner</name>
    <message>
        <source>%1 is down</source>
        <translation>%1 is down</translation>
    </message>
    <message>
        <source>%1 is out of rotation</source>
        <translation>%1 is out of rotation</translation>
    </message>
    <message>
        <source>%1 cannot be checked</source>
        <translation>%1 cannot be checked</translation>
    </message>
    <message>
        <source>%1 is healthy again</source>
        <translation>%1 is healthy again</translation>
    </message>
    <message numerus="yes">
        <source>%1 keeps changing: %n changes in a short time</source>
        <translation>
            <numerusform>%1 keeps changing: %n change in a short time</numerusform>
            <numerusform>%1 keeps changing: %n changes in a short time</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — explains %2</source>
        <translation>%1 — explains %2</translation>
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
        <translation>cannot remove %1</translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation>cannot create the folder of %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>okh::CeleryCommands</name>
    <message>
        <source>Opposite of --%1.</source>
        <translation>Opposite of --%1.</translation>
    </message>
    <message>
        <source>Invalid value for &apos;--%1&apos;: &apos;%2&apos; is not a valid integer.
</source>
        <translation>Invalid value for &apos;--%1&apos;: &apos;%2&apos; is not a valid integer.
</translation>
    </message>
    <message>
        <source>Celery worker health check, a drop-in for `maykin-common worker-health-check`: event-loop liveness file, ping through the broker, readiness file. Exit 1: event loop, 2: ping, 4: not ready.</source>
        <translation>Celery worker health check, a drop-in for `maykin-common worker-health-check`: event-loop liveness file, ping through the broker, readiness file. Exit 1: event loop, 2: ping, 4: not ready.</translation>
    </message>
    <message>
        <source>Event-loop liveness file.</source>
        <translation>Event-loop liveness file.</translation>
    </message>
    <message>
        <source>Maximum age of the liveness file in seconds.</source>
        <translation>Maximum age of the liveness file in seconds.</translation>
    </message>
    <message>
        <source>Broker URL (must match CELERY_BROKER_URL).</source>
        <translation>Broker URL (must match CELERY_BROKER_URL).</translation>
    </message>
    <message>
        <source>Worker node name (default: CELERY_WORKER_NAME, else celery@&lt;hostname&gt;).</source>
        <translation>Worker node name (default: CELERY_WORKER_NAME, else celery@&lt;hostname&gt;).</translation>
    </message>
    <message>
        <source>Seconds to wait for the ping reply.</source>
        <translation>Seconds to wait for the ping reply.</translation>
    </message>
    <message>
        <source>Readiness file.</source>
        <translation>Readiness file.</translation>
    </message>
    <message>
        <source>Skip the liveness file check.</source>
        <translation>Skip the liveness file check.</translation>
    </message>
    <message>
        <source>Skip the ping.</source>
        <translation>Skip the ping.</translation>
    </message>
    <message>
        <source>Skip the readiness file check (skipped by default).</source>
        <translation>Skip the readiness file check (skipped by default).</translation>
    </message>
    <message>
        <source>Invalid value for &apos;--broker&apos;: %1
</source>
        <translation>Invalid value for &apos;--broker&apos;: %1
</translation>
    </message>
    <message>
        <source>hint: %1
</source>
        <translation>hint: %1
</translation>
    </message>
    <message>
        <source>Celery beat health check, a drop-in for `maykin-common beat-health-check`: the beat liveness file must be younger than --max-age.</source>
        <translation>Celery beat health check, a drop-in for `maykin-common beat-health-check`: the beat liveness file must be younger than --max-age.</translation>
    </message>
    <message>
        <source>Beat liveness file.</source>
        <translation>Beat liveness file.</translation>
    </message>
    <message>
        <source>Maximum age in seconds.</source>
        <translation>Maximum age in seconds.</translation>
    </message>
</context>
<context>
    <name>okh::CeleryPingProbe</name>
    <message>
        <source>the broker at %1</source>
        <translation>the broker at %1</translation>
    </message>
    <message>
        <source>no broker host or port configured</source>
        <translation>no broker host or port configured</translation>
    </message>
    <message>
        <source>the ping through %1 did not complete within %2</source>
        <translation>the ping through %1 did not complete within %2</translation>
    </message>
    <message>
        <source>The broker itself is slow or frozen, or the check&apos;s timeout is shorter than its ping timeout plus a second for the broadcast.</source>
        <translation>The broker itself is slow or frozen, or the check&apos;s timeout is shorter than its ping timeout plus a second for the broadcast.</translation>
    </message>
    <message>
        <source>no worker answered a broadcast ping within %1</source>
        <translation>no worker answered a broadcast ping within %1</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) answered: %1</source>
        <translation>
            <numerusform>%n worker answered: %1</numerusform>
            <numerusform>%n workers answered: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: PONG</source>
        <translation>%1: PONG</translation>
    </message>
    <message>
        <source>ping failed on %1</source>
        <translation>ping failed on %1</translation>
    </message>
    <message>
        <source>no reply to ping from &apos;%1&apos; after %2</source>
        <translation>no reply to ping from &apos;%1&apos; after %2</translation>
    </message>
    <message>
        <source>Other workers do answer: %1. The name must match exactly (case-sensitive): check --worker-name / CELERY_WORKER_NAME; in containers the default celery@&lt;hostname&gt; is the container ID.</source>
        <translation>Other workers do answer: %1. The name must match exactly (case-sensitive): check --worker-name / CELERY_WORKER_NAME; in containers the default celery@&lt;hostname&gt; is the container ID.</translation>
    </message>
    <message>
        <source>No worker listens on %1 of this broker: the workers are down, use another broker or database number, or run with remote control disabled.</source>
        <translation>No worker listens on %1 of this broker: the workers are down, use another broker or database number, or run with remote control disabled.</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) listen on the control channel but no worker answered: workers are frozen or their event loop is blocked by a long task (solo pool), or their broker subscription went stale.</source>
        <translation>
            <numerusform>%n client listens on the control channel but no worker answered: workers are frozen or their event loop is blocked by a long task (solo pool), or their broker subscription went stale.</numerusform>
            <numerusform>%n clients listen on the control channel but no worker answered: workers are frozen or their event loop is blocked by a long task (solo pool), or their broker subscription went stale.</numerusform>
        </translation>
    </message>
    <message>
        <source>Workers registered on this broker (possibly stale): %1.</source>
        <translation>Workers registered on this broker (possibly stale): %1.</translation>
    </message>
    <message>
        <source>error: </source>
        <translation>error: </translation>
    </message>
    <message>
        <source>The check&apos;s timeout (%1) ended the wait before the ping&apos;s own timeout (%2): give the check at least the ping timeout plus a second to tell a slow worker from a missing one.</source>
        <translation>The check&apos;s timeout (%1) ended the wait before the ping&apos;s own timeout (%2): give the check at least the ping timeout plus a second to tell a slow worker from a missing one.</translation>
    </message>
</context>
<context>
    <name>okh::CheckStateMachine</name>
    <message>
        <source>no result yet</source>
        <translation>no result yet</translation>
    </message>
    <message>
        <source>monitor cannot run it</source>
        <translation>monitor cannot run it</translation>
    </message>
    <message>
        <source>starting (failures do not count yet)</source>
        <translation>starting (failures do not count yet)</translation>
    </message>
    <message>
        <source>failing %1/%2</source>
        <translation>failing %1/%2</translation>
    </message>
    <message>
        <source>recovering %1/%2</source>
        <translation>recovering %1/%2</translation>
    </message>
    <message>
        <source>passed; not run again</source>
        <translation>passed; not run again</translation>
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
        <translation>no result yet</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>Last result</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Since</translation>
    </message>
</context>
<context>
    <name>okh::CommandLine</name>
    <message numerus="yes">
        <source>Error: Got unexpected extra argument(s) (%1)
</source>
        <translation>
            <numerusform>Error: Got unexpected extra argument (%1)
</numerusform>
            <numerusform>Error: Got unexpected extra arguments (%1)
</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::CommandRunner</name>
    <message>
        <source>empty command</source>
        <translation>empty command</translation>
    </message>
</context>
<context>
    <name>okh::ConnectionTester</name>
    <message>
        <source>&amp;Test Connection</source>
        <translation>&amp;Test Connection</translation>
    </message>
    <message>
        <source>Log in once with these settings; nothing is saved or trusted</source>
        <translation>Log in once with these settings; nothing is saved or trusted</translation>
    </message>
    <message>
        <source>Correct the deployment first</source>
        <translation>Correct the deployment first</translation>
    </message>
    <message>
        <source>Logging in to %1@%2…</source>
        <translation>Logging in to %1@%2…</translation>
    </message>
    <message>
        <source>Logged in to %1@%2. Host key: %3 %4.</source>
        <translation>Logged in to %1@%2. Host key: %3 %4.</translation>
    </message>
    <message>
        <source>The host offered %1 %2: compare it with ssh-keygen -lf on the host.</source>
        <translation>The host offered %1 %2: compare it with ssh-keygen -lf on the host.</translation>
    </message>
</context>
<context>
    <name>okh::DemoMenu</name>
    <message>
        <source>&amp;Demo</source>
        <translation>&amp;Demo</translation>
    </message>
    <message>
        <source>Starting the stand-in deployment…</source>
        <translation>Starting the stand-in deployment…</translation>
    </message>
    <message>
        <source>Stand-in deployment on this computer</source>
        <translation>Stand-in deployment on this computer</translation>
    </message>
    <message>
        <source>The stand-in deployment did not start</source>
        <translation>The stand-in deployment did not start</translation>
    </message>
    <message>
        <source>redis: the cache of the web app and the broker of the Celery worker</source>
        <translation>redis: the cache of the web app and the broker of the Celery worker</translation>
    </message>
    <message>
        <source>db: the PostgreSQL database of the web app and the worker</source>
        <translation>db: the PostgreSQL database of the web app and the worker</translation>
    </message>
    <message>
        <source>web: the Django app with maykin-common&apos;s health URLs</source>
        <translation>web: the Django app with maykin-common&apos;s health URLs</translation>
    </message>
    <message>
        <source>celery: the Celery worker, writing its liveness and readiness files</source>
        <translation>celery: the Celery worker, writing its liveness and readiness files</translation>
    </message>
    <message>
        <source>celery-flower: a stand-in for Flower, behind basic authentication</source>
        <translation>celery-flower: a stand-in for Flower, behind basic authentication</translation>
    </message>
    <message>
        <source>nginx: in front of web, with the documentation&apos;s health locations</source>
        <translation>nginx: in front of web, with the documentation&apos;s health locations</translation>
    </message>
    <message>
        <source>Stopping %1…</source>
        <translation>Stopping %1…</translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation>Starting %1…</translation>
    </message>
    <message>
        <source>Stop %1</source>
        <translation>Stop %1</translation>
    </message>
    <message>
        <source>Start %1</source>
        <translation>Start %1</translation>
    </message>
</context>
<context>
    <name>okh::DemoMode</name>
    <message>
        <source>Starting a stand-in Open Klant deployment on this computer…
%1</source>
        <translation>Starting a stand-in Open Klant deployment on this computer…
%1</translation>
    </message>
    <message>
        <source>Starting the stand-in deployment: %1…</source>
        <translation>Starting the stand-in deployment: %1…</translation>
    </message>
    <message>
        <source>The stand-in deployment is running; the Demo menu stops and starts its services.</source>
        <translation>The stand-in deployment is running; the Demo menu stops and starts its services.</translation>
    </message>
    <message>
        <source>The stand-in deployment did not start</source>
        <translation>The stand-in deployment did not start</translation>
    </message>
    <message>
        <source>Use File → Open… (Ctrl+O) to open a deployment file.</source>
        <translation>Use File → Open… (Ctrl+O) to open a deployment file.</translation>
    </message>
    <message>
        <source>%1 did not start</source>
        <translation>%1 did not start</translation>
    </message>
    <message>
        <source>Starting a stand-in Open Klant deployment on this computer…</source>
        <translation>Starting a stand-in Open Klant deployment on this computer…</translation>
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
        <translation>check</translation>
    </message>
    <message numerus="yes">
        <source>Valid: %n service(s)</source>
        <translation>
            <numerusform>Valid: %n service</numerusform>
            <numerusform>Valid: %n services</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s)</source>
        <translation>
            <numerusform>%n check</numerusform>
            <numerusform>%n checks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::DeploymentEditor</name>
    <message>
        <source>New Deployment</source>
        <translation>New Deployment</translation>
    </message>
    <message>
        <source>Edit Deployment</source>
        <translation>Edit Deployment</translation>
    </message>
    <message>
        <source>Services and checks</source>
        <translation>Services and checks</translation>
    </message>
    <message>
        <source>Add &amp;Service</source>
        <translation>Add &amp;Service</translation>
    </message>
    <message>
        <source>Add &amp;Check</source>
        <translation>Add &amp;Check</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <source>S&amp;how</source>
        <translation>S&amp;how</translation>
    </message>
    <message>
        <source>Go to the field the error is about</source>
        <translation>Go to the field the error is about</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Save &amp;As…</translation>
    </message>
    <message>
        <source>%1 exists already: choose another name or Save As</source>
        <translation>%1 exists already: choose another name or Save As</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
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
        <translation>Service “%1”, check “%2”</translation>
    </message>
    <message>
        <source>a deployment named “%1” is already open from another file</source>
        <translation>a deployment named “%1” is already open from another file</translation>
    </message>
    <message>
        <source>Save Deployment As</source>
        <translation>Save Deployment As</translation>
    </message>
    <message>
        <source>Deployment files (*.json)</source>
        <translation>Deployment files (*.json)</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Saving %1…</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentFile</name>
    <message>
        <source>expected %1, got %2</source>
        <translation>expected %1, got %2</translation>
    </message>
    <message>
        <source>missing required key %1</source>
        <translation>missing required key %1</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>a number</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>a string</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>an array</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>an object</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nothing</translation>
    </message>
    <message>
        <source>%1 (expanded from %2)</source>
        <translation>%1 (expanded from %2)</translation>
    </message>
    <message>
        <source>unknown key %1; did you mean %2?</source>
        <translation>unknown key %1; did you mean %2?</translation>
    </message>
    <message>
        <source>unknown key %1; expected one of: %2</source>
        <translation>unknown key %1; expected one of: %2</translation>
    </message>
    <message>
        <source>expected a name of letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; that starts with a letter or digit, got %1</source>
        <translation>expected a name of letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; that starts with a letter or digit, got %1</translation>
    </message>
    <message>
        <source>unknown %1 %2; did you mean %3? (supported: %4)</source>
        <translation>unknown %1 %2; did you mean %3? (supported: %4)</translation>
    </message>
    <message>
        <source>unknown %1 %2 (supported: %3)</source>
        <translation>unknown %1 %2 (supported: %3)</translation>
    </message>
    <message>
        <source>a whole number of at least %1</source>
        <translation>a whole number of at least %1</translation>
    </message>
    <message>
        <source>a whole number from %1 to %2</source>
        <translation>a whole number from %1 to %2</translation>
    </message>
    <message>
        <source>a duration like &quot;5s&quot; or a number of seconds</source>
        <translation>a duration like &quot;5s&quot; or a number of seconds</translation>
    </message>
    <message>
        <source>expected a duration greater than zero, got %1</source>
        <translation>expected a duration greater than zero, got %1</translation>
    </message>
    <message>
        <source>expected a host name or IP address, got %1</source>
        <translation>expected a host name or IP address, got %1</translation>
    </message>
    <message>
        <source>a Redis URL like &quot;redis://redis:6379/0&quot;</source>
        <translation>a Redis URL like &quot;redis://redis:6379/0&quot;</translation>
    </message>
    <message>
        <source>an array of worker names like [&quot;celery@docker&quot;] ([] for any worker)</source>
        <translation>an array of worker names like [&quot;celery@docker&quot;] ([] for any worker)</translation>
    </message>
    <message>
        <source>a worker name</source>
        <translation>a worker name</translation>
    </message>
    <message>
        <source>%1 is listed twice</source>
        <translation>%1 is listed twice</translation>
    </message>
    <message>
        <source>a worker name cannot be empty; use [] to accept any worker</source>
        <translation>a worker name cannot be empty; use [] to accept any worker</translation>
    </message>
    <message>
        <source>%1 is not a full Celery node name (name@host); did you mean %2? A worker started with -n %3 is called %2</source>
        <translation>%1 is not a full Celery node name (name@host); did you mean %2? A worker started with -n %3 is called %2</translation>
    </message>
    <message>
        <source>expected an absolute path (starting with /) inside the execution context, got %1; a relative path would depend on the working directory of the container</source>
        <translation>expected an absolute path (starting with /) inside the execution context, got %1; a relative path would depend on the working directory of the container</translation>
    </message>
    <message>
        <source>a path cannot contain a NUL character</source>
        <translation>a path cannot contain a NUL character</translation>
    </message>
    <message>
        <source>expected a whole number of seconds (file ages are compared in whole seconds), got %1</source>
        <translation>expected a whole number of seconds (file ages are compared in whole seconds), got %1</translation>
    </message>
    <message>
        <source>a basic-auth user name cannot contain &apos;:&apos;; give the part after &apos;:&apos; as &quot;password&quot; (Flower&apos;s --basic-auth=user:password)</source>
        <translation>a basic-auth user name cannot contain &apos;:&apos;; give the part after &apos;:&apos; as &quot;password&quot; (Flower&apos;s --basic-auth=user:password)</translation>
    </message>
    <message>
        <source>a password needs a &quot;user&quot;: HTTP basic authentication sends both</source>
        <translation>a password needs a &quot;user&quot;: HTTP basic authentication sends both</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>one of %1</translation>
    </message>
    <message>
        <source>execution context type</source>
        <translation>execution context type</translation>
    </message>
    <message>
        <source>key %1 does not apply to %2 contexts, which take only &quot;type&quot;</source>
        <translation>key %1 does not apply to %2 contexts, which take only &quot;type&quot;</translation>
    </message>
    <message>
        <source>key %1 does not apply to %2 contexts; they take: %3</source>
        <translation>key %1 does not apply to %2 contexts; they take: %3</translation>
    </message>
    <message>
        <source>the container&apos;s name or ID, as docker ps shows it</source>
        <translation>the container&apos;s name or ID, as docker ps shows it</translation>
    </message>
    <message>
        <source>the service name in the compose file, e.g. &quot;celery&quot;</source>
        <translation>the service name in the compose file, e.g. &quot;celery&quot;</translation>
    </message>
    <message>
        <source>a compose file name</source>
        <translation>a compose file name</translation>
    </message>
    <message>
        <source>the pod&apos;s name, or a resource such as &quot;deploy/openklant-worker&quot;</source>
        <translation>the pod&apos;s name, or a resource such as &quot;deploy/openklant-worker&quot;</translation>
    </message>
    <message>
        <source>%1, got %2</source>
        <translation>%1, got %2</translation>
    </message>
    <message>
        <source>expected a JSON object at the top level, like {&quot;version&quot;: 1, &quot;deployments&quot;: []}</source>
        <translation>expected a JSON object at the top level, like {&quot;version&quot;: 1, &quot;deployments&quot;: []}</translation>
    </message>
    <message>
        <source>this OK Health reads version %1</source>
        <translation>this OK Health reads version %1</translation>
    </message>
    <message>
        <source>unsupported version %1; this OK Health reads version %2 files</source>
        <translation>unsupported version %1; this OK Health reads version %2 files</translation>
    </message>
    <message>
        <source>no deployments: add at least one</source>
        <translation>no deployments: add at least one</translation>
    </message>
    <message>
        <source>a deployment object</source>
        <translation>a deployment object</translation>
    </message>
    <message>
        <source>duplicate deployment name %1 (also at %2)</source>
        <translation>duplicate deployment name %1 (also at %2)</translation>
    </message>
    <message>
        <source>for example {&quot;type&quot;: &quot;direct&quot;}</source>
        <translation>for example {&quot;type&quot;: &quot;direct&quot;}</translation>
    </message>
    <message>
        <source>a service object</source>
        <translation>a service object</translation>
    </message>
    <message>
        <source>duplicate service name %1 (also at %2)</source>
        <translation>duplicate service name %1 (also at %2)</translation>
    </message>
    <message>
        <source>no services: add a &quot;profile&quot; or a &quot;services&quot; list</source>
        <translation>no services: add a &quot;profile&quot; or a &quot;services&quot; list</translation>
    </message>
    <message>
        <source>supported: %1</source>
        <translation>supported: %1</translation>
    </message>
    <message>
        <source>connection type</source>
        <translation>connection type</translation>
    </message>
    <message>
        <source>key %1 applies to ssh connections (&quot;type&quot;: &quot;ssh&quot;); a direct connection takes only &quot;type&quot;</source>
        <translation>key %1 applies to ssh connections (&quot;type&quot;: &quot;ssh&quot;); a direct connection takes only &quot;type&quot;</translation>
    </message>
    <message>
        <source>give either &quot;jump&quot; (one jump host) or &quot;jumps&quot; (a chain, the first reached directly), not both</source>
        <translation>give either &quot;jump&quot; (one jump host) or &quot;jumps&quot; (a chain, the first reached directly), not both</translation>
    </message>
    <message>
        <source>a jump host object like {&quot;host&quot;: &quot;bastion&quot;}</source>
        <translation>a jump host object like {&quot;host&quot;: &quot;bastion&quot;}</translation>
    </message>
    <message>
        <source>the ssh config gives %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there, or give &quot;jump&quot; or &quot;jumps&quot; here</source>
        <translation>the ssh config gives %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there, or give &quot;jump&quot; or &quot;jumps&quot; here</translation>
    </message>
    <message>
        <source>SSH passwords are not supported: OK Health logs in with keys only (the agent, then &quot;identityFiles&quot;); install a public key on the server (ssh-copy-id) and, for a key with a passphrase, load it into ssh-agent</source>
        <translation>SSH passwords are not supported: OK Health logs in with keys only (the agent, then &quot;identityFiles&quot;); install a public key on the server (ssh-copy-id) and, for a key with a passphrase, load it into ssh-agent</translation>
    </message>
    <message>
        <source>key passphrases are never stored: OK Health asks for one when a key needs it; for unattended runs, load the key into ssh-agent (ssh-add) and keep &quot;useAgent&quot; on</source>
        <translation>key passphrases are never stored: OK Health asks for one when a key needs it; for unattended runs, load the key into ssh-agent (ssh-add) and keep &quot;useAgent&quot; on</translation>
    </message>
    <message>
        <source>in the ssh config: %1</source>
        <translation>in the ssh config: %1</translation>
    </message>
    <message>
        <source>a jump host cannot have jump hosts of its own here; list the whole chain in the connection&apos;s &quot;jumps&quot;, the first reached directly</source>
        <translation>a jump host cannot have jump hosts of its own here; list the whole chain in the connection&apos;s &quot;jumps&quot;, the first reached directly</translation>
    </message>
    <message>
        <source>key %1 applies to the whole connection; give it next to the connection&apos;s &quot;type&quot;</source>
        <translation>key %1 applies to the whole connection; give it next to the connection&apos;s &quot;type&quot;</translation>
    </message>
    <message>
        <source>the SSH server&apos;s name or address, or a Host alias of the ssh config</source>
        <translation>the SSH server&apos;s name or address, or a Host alias of the ssh config</translation>
    </message>
    <message>
        <source>expected a user name without spaces that does not start with &apos;-&apos;, got %1</source>
        <translation>expected a user name without spaces that does not start with &apos;-&apos;, got %1</translation>
    </message>
    <message>
        <source>expected a host name, an IP address or a Host alias of the ssh config, got %1</source>
        <translation>expected a host name, an IP address or a Host alias of the ssh config, got %1</translation>
    </message>
    <message>
        <source>expected a host name without a user, got %1; give the user as &quot;user&quot;: %2</source>
        <translation>expected a host name without a user, got %1; give the user as &quot;user&quot;: %2</translation>
    </message>
    <message>
        <source>expected a host name without a port, got %1; give the port as &quot;port&quot;: %2</source>
        <translation>expected a host name without a port, got %1; give the port as &quot;port&quot;: %2</translation>
    </message>
    <message>
        <source>HostName %1 (ssh config %2): only %h and %% may be used there</source>
        <translation>HostName %1 (ssh config %2): only %h and %% may be used there</translation>
    </message>
    <message>
        <source>HostName %1 (ssh config %2) is not a host name or IP address</source>
        <translation>HostName %1 (ssh config %2) is not a host name or IP address</translation>
    </message>
    <message>
        <source>%1 is neither a host name or IP address nor a Host alias of the ssh config</source>
        <translation>%1 is neither a host name or IP address nor a Host alias of the ssh config</translation>
    </message>
    <message>
        <source>%1 (ssh config %2): %3</source>
        <translation>%1 (ssh config %2): %3</translation>
    </message>
    <message>
        <source>StrictHostKeyChecking %1 (ssh config %2) is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; set &quot;hostKeyPolicy&quot;: &quot;accept-new&quot; to add unknown keys on first contact, or &quot;strict&quot;</source>
        <translation>StrictHostKeyChecking %1 (ssh config %2) is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; set &quot;hostKeyPolicy&quot;: &quot;accept-new&quot; to add unknown keys on first contact, or &quot;strict&quot;</translation>
    </message>
    <message>
        <source>ProxyJump (ssh config %1): %2</source>
        <translation>ProxyJump (ssh config %1): %2</translation>
    </message>
    <message>
        <source>jump host %1 (ProxyJump in ssh config %2)</source>
        <translation>jump host %1 (ProxyJump in ssh config %2)</translation>
    </message>
    <message>
        <source>the ssh config gives jump host %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there</source>
        <translation>the ssh config gives jump host %1 a ProxyCommand (%2), which OK Health cannot run; use ProxyJump there</translation>
    </message>
    <message>
        <source>the ssh config&apos;s ProxyJump lines form a loop: %1</source>
        <translation>the ssh config&apos;s ProxyJump lines form a loop: %1</translation>
    </message>
    <message>
        <source>host key policy %1 is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; use &quot;strict&quot; (the key must be in known_hosts) or &quot;accept-new&quot; (an unknown key is added on first contact, a changed one is still refused)</source>
        <translation>host key policy %1 is refused: OK Health always verifies host keys, so that a changed key (a reinstalled server, or someone in between) is never accepted; use &quot;strict&quot; (the key must be in known_hosts) or &quot;accept-new&quot; (an unknown key is added on first contact, a changed one is still refused)</translation>
    </message>
    <message>
        <source>unknown host key policy %1; OpenSSH&apos;s StrictHostKeyChecking %2 is &quot;strict&quot; here (supported: strict, accept-new)</source>
        <translation>unknown host key policy %1; OpenSSH&apos;s StrictHostKeyChecking %2 is &quot;strict&quot; here (supported: strict, accept-new)</translation>
    </message>
    <message>
        <source>an array of private key files like [&quot;~/.ssh/id_ed25519&quot;]</source>
        <translation>an array of private key files like [&quot;~/.ssh/id_ed25519&quot;]</translation>
    </message>
    <message>
        <source>no key files: give at least one, or leave &quot;%1&quot; out for ssh&apos;s defaults (~/.ssh/id_ed25519, id_ecdsa, id_rsa)</source>
        <translation>no key files: give at least one, or leave &quot;%1&quot; out for ssh&apos;s defaults (~/.ssh/id_ed25519, id_ecdsa, id_rsa)</translation>
    </message>
    <message>
        <source>a private key file</source>
        <translation>a private key file</translation>
    </message>
    <message>
        <source>%1 is not a file</source>
        <translation>%1 is not a file</translation>
    </message>
    <message>
        <source>no such private key file: %1</source>
        <translation>no such private key file: %1</translation>
    </message>
    <message>
        <source>expected an absolute path or one starting with ~/, got %1; a relative path would depend on the directory OK Health is started in</source>
        <translation>expected an absolute path or one starting with ~/, got %1; a relative path would depend on the directory OK Health is started in</translation>
    </message>
    <message>
        <source>expected true or false, got %1</source>
        <translation>expected true or false, got %1</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true or false</translation>
    </message>
    <message>
        <source>expected a whole number of seconds (SSH keepalives and connect timeouts are set in seconds), got %1</source>
        <translation>expected a whole number of seconds (SSH keepalives and connect timeouts are set in seconds), got %1</translation>
    </message>
    <message>
        <source>profile</source>
        <translation>profile</translation>
    </message>
    <message>
        <source>&quot;openklant&quot; or a profile object</source>
        <translation>&quot;openklant&quot; or a profile object</translation>
    </message>
    <message>
        <source>a profile service name</source>
        <translation>a profile service name</translation>
    </message>
    <message>
        <source>%1 is not a service of the profile (services: %2)</source>
        <translation>%1 is not a service of the profile (services: %2)</translation>
    </message>
    <message>
        <source>did you mean %1?</source>
        <translation>did you mean %1?</translation>
    </message>
    <message>
        <source>service %1 is configured here but excluded in &quot;exclude&quot;</source>
        <translation>service %1 is configured here but excluded in &quot;exclude&quot;</translation>
    </message>
    <message>
        <source>give either &quot;workerName&quot; or &quot;workers&quot;, not both</source>
        <translation>give either &quot;workerName&quot; or &quot;workers&quot;, not both</translation>
    </message>
    <message>
        <source>give either &quot;url&quot; or host/port/user/password/db, not both</source>
        <translation>give either &quot;url&quot; or host/port/user/password/db, not both</translation>
    </message>
    <message>
        <source>service kind</source>
        <translation>service kind</translation>
    </message>
    <message>
        <source>a service name</source>
        <translation>a service name</translation>
    </message>
    <message>
        <source>a service cannot depend on itself</source>
        <translation>a service cannot depend on itself</translation>
    </message>
    <message>
        <source>a check object</source>
        <translation>a check object</translation>
    </message>
    <message>
        <source>duplicate check name %1 (also at %2)</source>
        <translation>duplicate check name %1 (also at %2)</translation>
    </message>
    <message>
        <source>service %1 has no checks; add at least one to &quot;checks&quot;</source>
        <translation>service %1 has no checks; add at least one to &quot;checks&quot;</translation>
    </message>
    <message>
        <source>check type</source>
        <translation>check type</translation>
    </message>
    <message>
        <source>key %1 does not apply to %2 checks; they take: %3</source>
        <translation>key %1 does not apply to %2 checks; they take: %3</translation>
    </message>
    <message>
        <source>role</source>
        <translation>role</translation>
    </message>
    <message>
        <source>liveness, readiness, startup or info</source>
        <translation>liveness, readiness, startup or info</translation>
    </message>
    <message>
        <source>successThreshold must be 1 for %1 checks (a Kubernetes rule), got %2</source>
        <translation>successThreshold must be 1 for %1 checks (a Kubernetes rule), got %2</translation>
    </message>
    <message>
        <source>a Redis URL like &quot;redis://redis:6379/0&quot;, the workers&apos; CELERY_BROKER_URL</source>
        <translation>a Redis URL like &quot;redis://redis:6379/0&quot;, the workers&apos; CELERY_BROKER_URL</translation>
    </message>
    <message>
        <source>the control exchange cannot be empty; Celery&apos;s default is &quot;celery&quot;</source>
        <translation>the control exchange cannot be empty; Celery&apos;s default is &quot;celery&quot;</translation>
    </message>
    <message>
        <source>the event exchange cannot be empty; Celery&apos;s default is &quot;celeryev&quot;</source>
        <translation>the event exchange cannot be empty; Celery&apos;s default is &quot;celeryev&quot;</translation>
    </message>
    <message>
        <source>an absolute path like &quot;/app/tmp/celery_worker.ready&quot;</source>
        <translation>an absolute path like &quot;/app/tmp/celery_worker.ready&quot;</translation>
    </message>
    <message>
        <source>expected an array of strings, got a string: the command runs without a shell, so give the program and each argument as separate strings, e.g. [&quot;redis-cli&quot;, &quot;ping&quot;] for redis-cli ping (for shell syntax, run [&quot;sh&quot;, &quot;-c&quot;, &quot;…&quot;])</source>
        <translation>expected an array of strings, got a string: the command runs without a shell, so give the program and each argument as separate strings, e.g. [&quot;redis-cli&quot;, &quot;ping&quot;] for redis-cli ping (for shell syntax, run [&quot;sh&quot;, &quot;-c&quot;, &quot;…&quot;])</translation>
    </message>
    <message>
        <source>an array of strings (the program and its arguments)</source>
        <translation>an array of strings (the program and its arguments)</translation>
    </message>
    <message>
        <source>the command is empty; give at least the program to run</source>
        <translation>the command is empty; give at least the program to run</translation>
    </message>
    <message>
        <source>a command argument cannot contain a NUL character</source>
        <translation>a command argument cannot contain a NUL character</translation>
    </message>
    <message>
        <source>the program name cannot be empty</source>
        <translation>the program name cannot be empty</translation>
    </message>
    <message>
        <source>the program name cannot start with &apos;-&apos;</source>
        <translation>the program name cannot start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>an array like [&quot;redis-cli&quot;, &quot;ping&quot;]</source>
        <translation>an array like [&quot;redis-cli&quot;, &quot;ping&quot;]</translation>
    </message>
    <message>
        <source>; set &quot;timeout&quot; (the default is %1)</source>
        <translation>; set &quot;timeout&quot; (the default is %1)</translation>
    </message>
    <message>
        <source>a broadcast ping collects replies until none has come for pingTimeout (%1), then removes its reply queue</source>
        <translation>a broadcast ping collects replies until none has come for pingTimeout (%1), then removes its reply queue</translation>
    </message>
    <message>
        <source>when a named worker stays silent for pingTimeout (%1), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue</source>
        <translation>when a named worker stays silent for pingTimeout (%1), the check broadcasts a ping for 1 s more to name the workers that do answer, then removes its reply queue</translation>
    </message>
    <message>
        <source>the check&apos;s timeout (%1) must be at least pingTimeout + 1 s (%2): %3%4</source>
        <translation>the check&apos;s timeout (%1) must be at least pingTimeout + 1 s (%2): %3%4</translation>
    </message>
    <message>
        <source>listen (%1) must be shorter than the check&apos;s timeout (%2): the check listens that long and must still finish in time%3</source>
        <translation>listen (%1) must be shorter than the check&apos;s timeout (%2): the check listens that long and must still finish in time%3</translation>
    </message>
    <message>
        <source>expected an absolute http:// or https:// URL, got %1</source>
        <translation>expected an absolute http:// or https:// URL, got %1</translation>
    </message>
    <message>
        <source>an absolute http:// or https:// URL</source>
        <translation>an absolute http:// or https:// URL</translation>
    </message>
    <message>
        <source>expected a host name, optionally with :port, got %1</source>
        <translation>expected a host name, optionally with :port, got %1</translation>
    </message>
    <message>
        <source>expectation</source>
        <translation>expectation</translation>
    </message>
    <message>
        <source>%1 is not a valid HTTP header name</source>
        <translation>%1 is not a valid HTTP header name</translation>
    </message>
    <message>
        <source>set the Host header with &quot;hostHeader&quot;</source>
        <translation>set the Host header with &quot;hostHeader&quot;</translation>
    </message>
    <message>
        <source>a header value cannot contain line breaks</source>
        <translation>a header value cannot contain line breaks</translation>
    </message>
    <message>
        <source>service %1 depends on %2, which is not a service of this deployment (services: %3)</source>
        <translation>service %1 depends on %2, which is not a service of this deployment (services: %3)</translation>
    </message>
    <message>
        <source>dependency cycle: %1</source>
        <translation>dependency cycle: %1</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>cannot read the file: %1</translation>
    </message>
    <message>
        <source>the file is larger than 16 MiB; is it a deployment file?</source>
        <translation>the file is larger than 16 MiB; is it a deployment file?</translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation>invalid JSON: %1</translation>
    </message>
    <message>
        <source>duplicate key (JSON would silently keep only the last one)</source>
        <translation>duplicate key (JSON would silently keep only the last one)</translation>
    </message>
    <message>
        <source>unknown host key policy %1; did you mean %2? (supported: strict, accept-new)</source>
        <translation>unknown host key policy %1; did you mean %2? (supported: strict, accept-new)</translation>
    </message>
    <message>
        <source>unknown host key policy %1 (supported: strict, accept-new; host keys are always verified)</source>
        <translation>unknown host key policy %1 (supported: strict, accept-new; host keys are always verified)</translation>
    </message>
    <message>
        <source>UserKnownHostsFile none (ssh config %1) is refused: OK Health always checks host keys against a known_hosts file; give one with &quot;knownHostsFile&quot;</source>
        <translation>UserKnownHostsFile none (ssh config %1) is refused: OK Health always checks host keys against a known_hosts file; give one with &quot;knownHostsFile&quot;</translation>
    </message>
    <message>
        <source>UserKnownHostsFile %1 (ssh config %2): %3</source>
        <translation>UserKnownHostsFile %1 (ssh config %2): %3</translation>
    </message>
    <message>
        <source>a relative known_hosts path would depend on the directory OK Health is started in; give an absolute one</source>
        <translation>a relative known_hosts path would depend on the directory OK Health is started in; give an absolute one</translation>
    </message>
    <message>
        <source>%1 is not a regular file: no host key could ever be found in it, and with accept-new every key would be accepted; give a real known_hosts file</source>
        <translation>%1 is not a regular file: no host key could ever be found in it, and with accept-new every key would be accepted; give a real known_hosts file</translation>
    </message>
    <message>
        <source>the URL has an &apos;@&apos; after the host; if the password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos;, percent-encode them (%2F, %3F, %23)</source>
        <translation>the URL has an &apos;@&apos; after the host; if the password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos;, percent-encode them (%2F, %3F, %23)</translation>
    </message>
    <message>
        <source>a component name cannot be empty</source>
        <translation>a component name cannot be empty</translation>
    </message>
    <message>
        <source>component %1 stands for %2, which is not a service of this deployment (services: %3)</source>
        <translation>component %1 stands for %2, which is not a service of this deployment (services: %3)</translation>
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
        <translation>no result yet</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>healthy</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>unhealthy</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>cannot reach deployment: %1</source>
        <translation>cannot reach deployment: %1</translation>
    </message>
    <message>
        <source>%1 is failing</source>
        <translation>%1 is failing</translation>
    </message>
    <message>
        <source>%1 is failing (%2)</source>
        <translation>%1 is failing (%2)</translation>
    </message>
    <message>
        <source> — explains %1</source>
        <translation> — explains %1</translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>root cause: %1</translation>
    </message>
    <message>
        <source>consequence of %1: %2</source>
        <translation>consequence of %1: %2</translation>
    </message>
    <message>
        <source>Paused until %1: no checks run until then.</source>
        <translation>Paused until %1: no checks run until then.</translation>
    </message>
    <message>
        <source>Paused: no checks run until you resume.</source>
        <translation>Paused: no checks run until you resume.</translation>
    </message>
    <message>
        <source>Maintenance window until %1: notifications are muted.</source>
        <translation>Maintenance window until %1: notifications are muted.</translation>
    </message>
    <message>
        <source>%1; acknowledged by %2</source>
        <translation>%1; acknowledged by %2</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentPage</name>
    <message>
        <source>Services of %1</source>
        <translation>Services of %1</translation>
    </message>
    <message>
        <source>Paused: no checks run until you resume.</source>
        <translation>Paused: no checks run until you resume.</translation>
    </message>
    <message>
        <source>Root cause: %1</source>
        <translation>Root cause: %1</translation>
    </message>
    <message>
        <source>All services healthy.</source>
        <translation>All services healthy.</translation>
    </message>
    <message>
        <source>Waiting for results…</source>
        <translation>Waiting for results…</translation>
    </message>
    <message>
        <source>Checks of %1 (%2)</source>
        <translation>Checks of %1 (%2)</translation>
    </message>
    <message>
        <source>Select a service to see its checks.</source>
        <translation>Select a service to see its checks.</translation>
    </message>
    <message>
        <source>Check %1 Now</source>
        <translation>Check %1 Now</translation>
    </message>
    <message>
        <source>Check Every Service of %1 Now</source>
        <translation>Check Every Service of %1 Now</translation>
    </message>
    <message>
        <source>Copy Details as Markdown</source>
        <translation>Copy Details as Markdown</translation>
    </message>
    <message numerus="yes">
        <source>No service of %1 matches the filter; %n service(s) hidden.</source>
        <translation>
            <numerusform>No service of %1 matches the filter; %n service hidden.</numerusform>
            <numerusform>No service of %1 matches the filter; %n services hidden.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>His&amp;tory</source>
        <translation>His&amp;tory</translation>
    </message>
</context>
<context>
    <name>okh::DeploymentSaver</name>
    <message>
        <source>%1: cannot save: %2</source>
        <translation>%1: cannot save: %2</translation>
    </message>
    <message>
        <source>%1: not saved, the passwords could not be stored: %2</source>
        <translation>%1: not saved, the passwords could not be stored: %2</translation>
    </message>
    <message>
        <source>cannot create its directory</source>
        <translation>cannot create its directory</translation>
    </message>
</context>
<context>
    <name>okh::DesktopNotifier</name>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acknowledge</translation>
    </message>
</context>
<context>
    <name>okh::DetailLabel</name>
    <message>
        <source>component %1</source>
        <translation>component %1</translation>
    </message>
    <message>
        <source>worker %1</source>
        <translation>worker %1</translation>
    </message>
    <message>
        <source>age (seconds)</source>
        <translation>age (seconds)</translation>
    </message>
    <message>
        <source>body</source>
        <translation>body</translation>
    </message>
    <message>
        <source>body truncated</source>
        <translation>body truncated</translation>
    </message>
    <message>
        <source>command</source>
        <translation>command</translation>
    </message>
    <message>
        <source>runs in</source>
        <translation>runs in</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>exit code</source>
        <translation>exit code</translation>
    </message>
    <message>
        <source>redirects to</source>
        <translation>redirects to</translation>
    </message>
    <message>
        <source>outcome</source>
        <translation>outcome</translation>
    </message>
    <message>
        <source>output</source>
        <translation>output</translation>
    </message>
    <message>
        <source>path</source>
        <translation>path</translation>
    </message>
    <message>
        <source>peer address</source>
        <translation>peer address</translation>
    </message>
    <message>
        <source>stage</source>
        <translation>stage</translation>
    </message>
    <message>
        <source>the probe said</source>
        <translation>the probe said</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>reply</translation>
    </message>
    <message>
        <source>server</source>
        <translation>server</translation>
    </message>
    <message>
        <source>server message</source>
        <translation>server message</translation>
    </message>
    <message>
        <source>SQLSTATE</source>
        <translation>SQLSTATE</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP status</translation>
    </message>
    <message>
        <source>error output</source>
        <translation>error output</translation>
    </message>
    <message>
        <source>subscribers</source>
        <translation>subscribers</translation>
    </message>
    <message>
        <source>reply from %1</source>
        <translation>reply from %1</translation>
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
        <translation>%1 h</translation>
    </message>
</context>
<context>
    <name>okh::ExecContext</name>
    <message>
        <source>docker: a container name is required and must not start with &apos;-&apos;</source>
        <translation>docker: a container name is required and must not start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>compose: a service name is required and must not start with &apos;-&apos;</source>
        <translation>compose: a service name is required and must not start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>compose: the project directory must not start with &apos;-&apos;</source>
        <translation>compose: the project directory must not start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>compose: file names must not be empty or start with &apos;-&apos;</source>
        <translation>compose: file names must not be empty or start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>kubectl: a pod name is required and must not start with &apos;-&apos;</source>
        <translation>kubectl: a pod name is required and must not start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>kubectl: container, namespace and context must not start with &apos;-&apos;</source>
        <translation>kubectl: container, namespace and context must not start with &apos;-&apos;</translation>
    </message>
    <message>
        <source>this machine</source>
        <translation>this machine</translation>
    </message>
</context>
<context>
    <name>okh::ExecProbe</name>
    <message>
        <source>cannot run %1: %2</source>
        <translation>cannot run %1: %2</translation>
    </message>
    <message>
        <source>Install the client (docker, kubectl) on the monitor&apos;s machine, or check the command in the deployment file.</source>
        <translation>Install the client (docker, kubectl) on the monitor&apos;s machine, or check the command in the deployment file.</translation>
    </message>
    <message>
        <source>cannot reach the container runtime: %1</source>
        <translation>cannot reach the container runtime: %1</translation>
    </message>
    <message>
        <source>The monitor cannot talk to Docker or Kubernetes (daemon down, cluster unreachable, wrong kubeconfig context); this says nothing about the service.</source>
        <translation>The monitor cannot talk to Docker or Kubernetes (daemon down, cluster unreachable, wrong kubeconfig context); this says nothing about the service.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The container is not running (or has another name): check `docker ps -a` or `kubectl get pods`.</source>
        <translation>The container is not running (or has another name): check `docker ps -a` or `kubectl get pods`.</translation>
    </message>
    <message>
        <source>no command configured</source>
        <translation>no command configured</translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation>%1 crashed</translation>
    </message>
    <message>
        <source>redis-cli ping exited 0 without PONG: %1</source>
        <translation>redis-cli ping exited 0 without PONG: %1</translation>
    </message>
    <message>
        <source>redis-cli&apos;s exit code only reports connection failures; an error reply such as NOAUTH still exits 0.</source>
        <translation>redis-cli&apos;s exit code only reports connection failures; an error reply such as NOAUTH still exits 0.</translation>
    </message>
    <message>
        <source>exit 0: %1</source>
        <translation>exit 0: %1</translation>
    </message>
    <message>
        <source>exit %1: %2</source>
        <translation>exit %1: %2</translation>
    </message>
    <message>
        <source>The deployment&apos;s SSH connection could not run the command; this says nothing about the service.</source>
        <translation>The deployment&apos;s SSH connection could not run the command; this says nothing about the service.</translation>
    </message>
</context>
<context>
    <name>okh::ExitCodeMeaning</name>
    <message>
        <source>the command was found but could not be run (permissions)</source>
        <translation>the command was found but could not be run (permissions)</translation>
    </message>
    <message>
        <source>command not found in the container or on the host</source>
        <translation>command not found in the container or on the host</translation>
    </message>
    <message>
        <source>event-loop liveness failed: the liveness file is missing or older than max-age (the worker&apos;s event loop is blocked or the worker is down)</source>
        <translation>event-loop liveness failed: the liveness file is missing or older than max-age (the worker&apos;s event loop is blocked or the worker is down)</translation>
    </message>
    <message>
        <source>the worker did not answer the ping through the broker</source>
        <translation>the worker did not answer the ping through the broker</translation>
    </message>
    <message>
        <source>the readiness file is missing: the worker is not ready</source>
        <translation>the readiness file is missing: the worker is not ready</translation>
    </message>
    <message>
        <source>beat&apos;s liveness file is missing or older than max-age: beat has not scheduled a task recently</source>
        <translation>beat&apos;s liveness file is missing or older than max-age: beat has not scheduled a task recently</translation>
    </message>
    <message>
        <source>the HTTP endpoint is down or answered with an error status</source>
        <translation>the HTTP endpoint is down or answered with an error status</translation>
    </message>
    <message>
        <source>rejecting connections (starting up, shutting down or in recovery)</source>
        <translation>rejecting connections (starting up, shutting down or in recovery)</translation>
    </message>
    <message>
        <source>no response</source>
        <translation>no response</translation>
    </message>
    <message>
        <source>no attempt: invalid parameters</source>
        <translation>no attempt: invalid parameters</translation>
    </message>
</context>
<context>
    <name>okh::FailureEvidence</name>
    <message>
        <source>not answering on %1</source>
        <translation>not answering on %1</translation>
    </message>
    <message>
        <source>its host name does not resolve (%1)</source>
        <translation>its host name does not resolve (%1)</translation>
    </message>
    <message>
        <source>no connection to %1 in time</source>
        <translation>no connection to %1 in time</translation>
    </message>
    <message>
        <source>%1 closes connections without answering</source>
        <translation>%1 closes connections without answering</translation>
    </message>
    <message>
        <source>its container is not running (%1)</source>
        <translation>its container is not running (%1)</translation>
    </message>
    <message>
        <source>%1 cannot reach the broker at %2</source>
        <translation>%1 cannot reach the broker at %2</translation>
    </message>
    <message>
        <source>%1: %2 accepts connections but does not answer in time</source>
        <translation>%1: %2 accepts connections but does not answer in time</translation>
    </message>
    <message>
        <source>%1 names %2</source>
        <translation>%1 names %2</translation>
    </message>
    <message>
        <source>%1 reports %2 failing</source>
        <translation>%1 reports %2 failing</translation>
    </message>
    <message>
        <source>%1: HTTP %2 from the proxy</source>
        <translation>%1: HTTP %2 from the proxy</translation>
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
        <translation>startup</translation>
    </message>
    <message>
        <source>information</source>
        <translation>information</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Host header</source>
        <translation>Host header</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Timeout</translation>
    </message>
    <message>
        <source>connection refused: nothing listens on the port</source>
        <translation>connection refused: nothing listens on the port</translation>
    </message>
    <message>
        <source>the host name does not resolve</source>
        <translation>the host name does not resolve</translation>
    </message>
    <message>
        <source>no connection in time</source>
        <translation>no connection in time</translation>
    </message>
    <message>
        <source>the peer accepted, then closed without answering</source>
        <translation>the peer accepted, then closed without answering</translation>
    </message>
    <message>
        <source>connected, but no answer in time</source>
        <translation>connected, but no answer in time</translation>
    </message>
    <message>
        <source>answered, and reported a failure</source>
        <translation>answered, and reported a failure</translation>
    </message>
    <message>
        <source>the file is missing</source>
        <translation>the file is missing</translation>
    </message>
    <message>
        <source>the file is older than its maximum age</source>
        <translation>the file is older than its maximum age</translation>
    </message>
    <message>
        <source>the command failed</source>
        <translation>the command failed</translation>
    </message>
    <message>
        <source>the container is not running</source>
        <translation>the container is not running</translation>
    </message>
    <message>
        <source>the broker works; the worker did not answer</source>
        <translation>the broker works; the worker did not answer</translation>
    </message>
    <message>
        <source>other failure</source>
        <translation>other failure</translation>
    </message>
    <message>
        <source>%1 · %2: %3</source>
        <translation>%1 · %2: %3</translation>
    </message>
    <message>
        <source>No result yet.</source>
        <translation>No result yet.</translation>
    </message>
    <message>
        <source>Healthy again. Last problem: %1</source>
        <translation>Healthy again. Last problem: %1</translation>
    </message>
    <message>
        <source>No problem since monitoring started. Latest: %1</source>
        <translation>No problem since monitoring started. Latest: %1</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>cannot reach the deployment</source>
        <translation>cannot reach the deployment</translation>
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
        <translation>Check</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Last problem at</source>
        <translation>Last problem at</translation>
    </message>
    <message>
        <source>Result at</source>
        <translation>Result at</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
    <message>
        <source>What failed</source>
        <translation>What failed</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>Cause</translation>
    </message>
    <message>
        <source>The monitor cannot reach this deployment, so its checks are unknown: nothing here says the services have failed.</source>
        <translation>The monitor cannot reach this deployment, so its checks are unknown: nothing here says the services have failed.</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Response</translation>
    </message>
    <message>
        <source>Components (django-health-check)</source>
        <translation>Components (django-health-check)</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Command</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Output</translation>
    </message>
    <message>
        <source>Body excerpt</source>
        <translation>Body excerpt</translation>
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
        <translation>Component</translation>
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
        <translation>Failure details</translation>
    </message>
    <message>
        <source>Check &amp;Now</source>
        <translation>Check &amp;Now</translation>
    </message>
    <message>
        <source>Run this check at once (Ctrl+R); the schedule goes on after it.</source>
        <translation>Run this check at once (Ctrl+R); the schedule goes on after it.</translation>
    </message>
    <message>
        <source>Copy as &amp;Markdown</source>
        <translation>Copy as &amp;Markdown</translation>
    </message>
    <message>
        <source>Copy these details as Markdown for a ticket (Ctrl+Shift+C).</source>
        <translation>Copy these details as Markdown for a ticket (Ctrl+Shift+C).</translation>
    </message>
    <message>
        <source>Select a check to see what its probe captured.</source>
        <translation>Select a check to see what its probe captured.</translation>
    </message>
</context>
<context>
    <name>okh::FieldEditor</name>
    <message>
        <source>(default)</source>
        <translation>(default)</translation>
    </message>
    <message>
        <source>one per line</source>
        <translation>one per line</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Depends on</source>
        <translation>Depends on</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>Interval</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Timeout</translation>
    </message>
    <message>
        <source>Failure threshold</source>
        <translation>Failure threshold</translation>
    </message>
    <message>
        <source>Success threshold</source>
        <translation>Success threshold</translation>
    </message>
    <message>
        <source>Start period</source>
        <translation>Start period</translation>
    </message>
    <message>
        <source>Initial delay</source>
        <translation>Initial delay</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Host header</source>
        <translation>Host header</translation>
    </message>
    <message>
        <source>Expect</source>
        <translation>Expect</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Headers</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database number</source>
        <translation>Database number</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Broker URL</source>
        <translation>Broker URL</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Workers</translation>
    </message>
    <message>
        <source>Ping timeout</source>
        <translation>Ping timeout</translation>
    </message>
    <message>
        <source>Control exchange</source>
        <translation>Control exchange</translation>
    </message>
    <message>
        <source>Key prefix</source>
        <translation>Key prefix</translation>
    </message>
    <message>
        <source>Listen for</source>
        <translation>Listen for</translation>
    </message>
    <message>
        <source>Event exchange</source>
        <translation>Event exchange</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Path</translation>
    </message>
    <message>
        <source>Maximum age</source>
        <translation>Maximum age</translation>
    </message>
    <message>
        <source>Runs in</source>
        <translation>Runs in</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Command</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>SSH host</source>
        <translation>SSH host</translation>
    </message>
    <message>
        <source>SSH port</source>
        <translation>SSH port</translation>
    </message>
    <message>
        <source>SSH user</source>
        <translation>SSH user</translation>
    </message>
    <message>
        <source>Key files</source>
        <translation>Key files</translation>
    </message>
    <message>
        <source>Known hosts file</source>
        <translation>Known hosts file</translation>
    </message>
    <message>
        <source>Unknown host keys</source>
        <translation>Unknown host keys</translation>
    </message>
    <message>
        <source>Jump hosts</source>
        <translation>Jump hosts</translation>
    </message>
    <message>
        <source>10s (default)</source>
        <translation>10s (default)</translation>
    </message>
    <message>
        <source>1s (default)</source>
        <translation>1s (default)</translation>
    </message>
    <message>
        <source>3 (default)</source>
        <translation>3 (default)</translation>
    </message>
    <message>
        <source>1 (default)</source>
        <translation>1 (default)</translation>
    </message>
    <message>
        <source>0s (default)</source>
        <translation>0s (default)</translation>
    </message>
    <message>
        <source>kept in the keychain</source>
        <translation>kept in the keychain</translation>
    </message>
    <message>
        <source>3s (default)</source>
        <translation>3s (default)</translation>
    </message>
    <message>
        <source>5s (default)</source>
        <translation>5s (default)</translation>
    </message>
    <message>
        <source>celery (default)</source>
        <translation>celery (default)</translation>
    </message>
    <message>
        <source>celeryev (default)</source>
        <translation>celeryev (default)</translation>
    </message>
</context>
<context>
    <name>okh::FileProbe</name>
    <message>
        <source>no file path configured</source>
        <translation>no file path configured</translation>
    </message>
    <message>
        <source>cannot read the file&apos;s age in %1</source>
        <translation>cannot read the file&apos;s age in %1</translation>
    </message>
    <message>
        <source>The container needs a POSIX sh with stat and date.</source>
        <translation>The container needs a POSIX sh with stat and date.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>&apos;%1&apos; does not exist</translation>
    </message>
    <message>
        <source>The process that touches this file is not running, or it writes another path (for Celery: MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE).</source>
        <translation>The process that touches this file is not running, or it writes another path (for Celery: MKN_HEALTH_CHECKS_WORKER_EVENT_LOOP_LIVENESS_FILE).</translation>
    </message>
    <message>
        <source>The worker has not signalled that it is ready, or it shut down (the file is removed on shutdown).</source>
        <translation>The worker has not signalled that it is ready, or it shut down (the file is removed on shutdown).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a regular file</source>
        <translation>&apos;%1&apos; is not a regular file</translation>
    </message>
    <message>
        <source>&apos;%1&apos; exists</source>
        <translation>&apos;%1&apos; exists</translation>
    </message>
    <message>
        <source>&apos;%1&apos; touched %2 ago (max-age %3)</source>
        <translation>&apos;%1&apos; touched %2 ago (max-age %3)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is older than max-age: touched %2 ago (max-age %3)</source>
        <translation>&apos;%1&apos; is older than max-age: touched %2 ago (max-age %3)</translation>
    </message>
    <message>
        <source>The process that touches this file stopped doing so: it is frozen or blocked (for a Celery worker: a long task blocks the event loop), or it died without removing the file.</source>
        <translation>The process that touches this file stopped doing so: it is frozen or blocked (for a Celery worker: a long task blocks the event loop), or it died without removing the file.</translation>
    </message>
</context>
<context>
    <name>okh::HealthCheckCommand</name>
    <message>
        <source>HTTP health check, a drop-in for `maykin-common health-check`.</source>
        <translation>HTTP health check, a drop-in for `maykin-common health-check`.</translation>
    </message>
    <message>
        <source>URL or path to GET (default /_healthz/livez/).</source>
        <translation>URL or path to GET (default /_healthz/livez/).</translation>
    </message>
    <message>
        <source>Request timeout in whole seconds (default 3).</source>
        <translation>Request timeout in whole seconds (default 3).</translation>
    </message>
    <message>
        <source>Invalid value for &apos;--timeout&apos;: &apos;%1&apos; is not a valid integer.
</source>
        <translation>Invalid value for &apos;--timeout&apos;: &apos;%1&apos; is not a valid integer.
</translation>
    </message>
</context>
<context>
    <name>okh::HeartbeatProbe</name>
    <message>
        <source>no broker host or port configured</source>
        <translation>no broker host or port configured</translation>
    </message>
    <message>
        <source>the broker did not confirm the subscription within %1</source>
        <translation>the broker did not confirm the subscription within %1</translation>
    </message>
    <message>
        <source>Set the check&apos;s timeout longer than its listen time.</source>
        <translation>Set the check&apos;s timeout longer than its listen time.</translation>
    </message>
    <message>
        <source>no worker heartbeat in %1</source>
        <translation>no worker heartbeat in %1</translation>
    </message>
    <message>
        <source>No worker is running against this broker and database, or workers run with --without-heartbeat.</source>
        <translation>No worker is running against this broker and database, or workers run with --without-heartbeat.</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) alive: %1</source>
        <translation>
            <numerusform>%n worker alive: %1</numerusform>
            <numerusform>%n workers alive: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>heartbeat from %1</source>
        <translation>heartbeat from %1</translation>
    </message>
    <message>
        <source>no heartbeat from %1 in %2</source>
        <translation>no heartbeat from %1 in %2</translation>
    </message>
    <message>
        <source>Workers that do send heartbeats: %1. Check the worker name.</source>
        <translation>Workers that do send heartbeats: %1. Check the worker name.</translation>
    </message>
    <message>
        <source>The worker is down, frozen, its event loop is blocked, or it runs with --without-heartbeat.</source>
        <translation>The worker is down, frozen, its event loop is blocked, or it runs with --without-heartbeat.</translation>
    </message>
    <message>
        <source>%1, heard %2 ago, active %3, processed %4, %5</source>
        <translation>%1, heard %2 ago, active %3, processed %4, %5</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>alive</source>
        <translation>alive</translation>
    </message>
</context>
<context>
    <name>okh::HistoryDatabase</name>
    <message>
        <source>History database error: %1</source>
        <translation>History database error: %1</translation>
    </message>
    <message>
        <source>Cannot open the history file %1: %2</source>
        <translation>Cannot open the history file %1: %2</translation>
    </message>
    <message>
        <source>The history file is not open.</source>
        <translation>The history file is not open.</translation>
    </message>
</context>
<context>
    <name>okh::HistorySchema</name>
    <message>
        <source>Cannot update the history file: %1</source>
        <translation>Cannot update the history file: %1</translation>
    </message>
    <message>
        <source>Cannot read the history file: %1</source>
        <translation>Cannot read the history file: %1</translation>
    </message>
    <message>
        <source>The history file was written by a newer version of OK Health (schema %1, this version reads up to %2).</source>
        <translation>The history file was written by a newer version of OK Health (schema %1, this version reads up to %2).</translation>
    </message>
</context>
<context>
    <name>okh::HistoryView</name>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 h</translation>
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
        <translation>History of the last %1</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>History is shown once monitoring runs.</source>
        <translation>History is shown once monitoring runs.</translation>
    </message>
    <message>
        <source>Select a check to see its history.</source>
        <translation>Select a check to see its history.</translation>
    </message>
    <message>
        <source>Uptime %1 % · %2 results, %3 failed, %4 unknown</source>
        <translation>Uptime %1 % · %2 results, %3 failed, %4 unknown</translation>
    </message>
    <message>
        <source>No results in this range</source>
        <translation>No results in this range</translation>
    </message>
</context>
<context>
    <name>okh::HostKeyDialog</name>
    <message>
        <source>Unknown SSH Host Key</source>
        <translation>Unknown SSH Host Key</translation>
    </message>
    <message>
        <source>The SSH server of deployment &lt;b&gt;%1&lt;/b&gt; offered a host key that is not in its known_hosts file. OK Health does not connect to it until you trust the key.</source>
        <translation>The SSH server of deployment &lt;b&gt;%1&lt;/b&gt; offered a host key that is not in its known_hosts file. OK Health does not connect to it until you trust the key.</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Key type:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerprint:</translation>
    </message>
    <message>
        <source>Added to:</source>
        <translation>Added to:</translation>
    </message>
    <message>
        <source>Compare the fingerprint with the one the host&apos;s administrator reads on the host (for example &lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;). Trust it only if they are the same.</source>
        <translation>Compare the fingerprint with the one the host&apos;s administrator reads on the host (for example &lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub&lt;/tt&gt;). Trust it only if they are the same.</translation>
    </message>
    <message>
        <source>&amp;Trust and Connect</source>
        <translation>&amp;Trust and Connect</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t Trust</source>
        <translation>&amp;Don&apos;t Trust</translation>
    </message>
</context>
<context>
    <name>okh::HtmlReport</name>
    <message>
        <source>Smoke check %1</source>
        <translation>Smoke check %1</translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>root cause: %1</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
</context>
<context>
    <name>okh::HttpProbe</name>
    <message>
        <source>invalid URL &quot;%1&quot;</source>
        <translation>invalid URL &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Use an absolute http:// or https:// URL.</source>
        <translation>Use an absolute http:// or https:// URL.</translation>
    </message>
    <message>
        <source>no HTTP answer within %1</source>
        <translation>no HTTP answer within %1</translation>
    </message>
    <message>
        <source>The server accepted the request but did not answer in time: the application is overloaded, frozen, or its own dependency checks are slow (database or cache timeouts).</source>
        <translation>The server accepted the request but did not answer in time: the application is overloaded, frozen, or its own dependency checks are slow (database or cache timeouts).</translation>
    </message>
    <message>
        <source>no connection within %1</source>
        <translation>no connection within %1</translation>
    </message>
    <message>
        <source>The host does not answer: a firewall drops the packets or the host is down.</source>
        <translation>The host does not answer: a firewall drops the packets or the host is down.</translation>
    </message>
</context>
<context>
    <name>okh::HttpVerdict</name>
    <message>
        <source>not exposed: HTTP %1</source>
        <translation>not exposed: HTTP %1</translation>
    </message>
    <message>
        <source>exposed: HTTP %1 from outside</source>
        <translation>exposed: HTTP %1 from outside</translation>
    </message>
    <message>
        <source>nginx serves this health path to the monitor. Note that the documentation&apos;s snippet does not block anyone: `return 200` runs in nginx&apos;s rewrite phase, before allow/deny are checked. Reject other addresses explicitly, e.g. `if ($remote_addr !~ &quot;^(127\.0\.0\.1|::1)$&quot;) { return 403; }`, or proxy to the backend.</source>
        <translation>nginx serves this health path to the monitor. Note that the documentation&apos;s snippet does not block anyone: `return 200` runs in nginx&apos;s rewrite phase, before allow/deny are checked. Reject other addresses explicitly, e.g. `if ($remote_addr !~ &quot;^(127\.0\.0\.1|::1)$&quot;) { return 403; }`, or proxy to the backend.</translation>
    </message>
    <message>
        <source>This health path answers from where the monitor stands; health endpoints should answer only from the host itself (127.0.0.1 and ::1).</source>
        <translation>This health path answers from where the monitor stands; health endpoints should answer only from the host itself (127.0.0.1 and ::1).</translation>
    </message>
    <message>
        <source>HTTP %1, redirects to %2</source>
        <translation>HTTP %1, redirects to %2</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>HTTP %1: %2 failing</source>
        <translation>HTTP %1: %2 failing</translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
    <message>
        <source>Django rejects the Host header &quot;%1&quot;: ALLOWED_HOSTS must contain the host name the check uses (the Open Klant documentation: include localhost), or set hostHeader in the check.</source>
        <translation>Django rejects the Host header &quot;%1&quot;: ALLOWED_HOSTS must contain the host name the check uses (the Open Klant documentation: include localhost), or set hostHeader in the check.</translation>
    </message>
    <message>
        <source>The endpoint asks for credentials; health endpoints are normally open to the probe.</source>
        <translation>The endpoint asks for credentials; health endpoints are normally open to the probe.</translation>
    </message>
    <message>
        <source>Wrong path: the web container serves /_healthz/, /_healthz/livez/ and /_healthz/readyz/ (with the trailing slash). If nginx proxies readyz, check its proxy_pass path: the documentation&apos;s example proxies to /_health/readyz/, which does not exist.</source>
        <translation>Wrong path: the web container serves /_healthz/, /_healthz/livez/ and /_healthz/readyz/ (with the trailing slash). If nginx proxies readyz, check its proxy_pass path: the documentation&apos;s example proxies to /_health/readyz/, which does not exist.</translation>
    </message>
    <message>
        <source>The proxy is up but the backend did not answer in time: check the web container.</source>
        <translation>The proxy is up but the backend did not answer in time: check the web container.</translation>
    </message>
    <message>
        <source>The proxy is up but cannot reach its backend (down, restarting or wrong upstream address): check the web container.</source>
        <translation>The proxy is up but cannot reach its backend (down, restarting or wrong upstream address): check the web container.</translation>
    </message>
    <message>
        <source>The application answers, but a dependency check fails: %1.</source>
        <translation>The application answers, but a dependency check fails: %1.</translation>
    </message>
    <message>
        <source>Django&apos;s generic error page: an uncaught exception; the web container&apos;s log has the traceback.</source>
        <translation>Django&apos;s generic error page: an uncaught exception; the web container&apos;s log has the traceback.</translation>
    </message>
    <message>
        <source>not exposed: connection refused</source>
        <translation>not exposed: connection refused</translation>
    </message>
    <message>
        <source>cannot send the request: %1</source>
        <translation>cannot send the request: %1</translation>
    </message>
    <message>
        <source>Check the URL in the deployment file: only http:// and https:// work.</source>
        <translation>Check the URL in the deployment file: only http:// and https:// work.</translation>
    </message>
    <message>
        <source>request failed: %1</source>
        <translation>request failed: %1</translation>
    </message>
    <message>
        <source>The peer does not speak HTTP as expected: another service may listen on this port.</source>
        <translation>The peer does not speak HTTP as expected: another service may listen on this port.</translation>
    </message>
    <message>
        <source>This port speaks HTTPS: use an https:// URL.</source>
        <translation>This port speaks HTTPS: use an https:// URL.</translation>
    </message>
    <message>
        <source>nginx denied the request (allow/deny). The documentation&apos;s health locations allow only 127.0.0.1 and ::1, and a published container port or a proxy shows nginx another address, so run the check inside the nginx container instead: an exec check such as `curl -fsS -o /dev/null http://localhost:8080/_healthz/readyz/` (docs/deployment-file.md, nginx).</source>
        <translation>nginx denied the request (allow/deny). The documentation&apos;s health locations allow only 127.0.0.1 and ::1, and a published container port or a proxy shows nginx another address, so run the check inside the nginx container instead: an exec check such as `curl -fsS -o /dev/null http://localhost:8080/_healthz/readyz/` (docs/deployment-file.md, nginx).</translation>
    </message>
</context>
<context>
    <name>okh::IncidentModel</name>
    <message>
        <source>ongoing</source>
        <translation>ongoing</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>End</source>
        <translation>End</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>What failed</source>
        <translation>What failed</translation>
    </message>
    <message>
        <source>ongoing · acknowledged by %1</source>
        <translation>ongoing · acknowledged by %1</translation>
    </message>
</context>
<context>
    <name>okh::Keychain</name>
    <message numerus="yes">
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>the keychain did not answer within %n second</numerusform>
            <numerusform>the keychain did not answer within %n seconds</numerusform>
        </translation>
    </message>
    <message>
        <source>the keychain failed: %1</source>
        <translation>the keychain failed: %1</translation>
    </message>
    <message>
        <source>keychain entry &quot;%1&quot;: %2</source>
        <translation>keychain entry &quot;%1&quot;: %2</translation>
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
        <translation>no latency figures in this range</translation>
    </message>
    <message>
        <source>no results before %1</source>
        <translation>no results before %1</translation>
    </message>
</context>
<context>
    <name>okh::MainWindow</name>
    <message>
        <source>%1: a deployment named &quot;%2&quot; is already open from another file</source>
        <translation>%1: a deployment named &quot;%2&quot; is already open from another file</translation>
    </message>
    <message>
        <source>OK Health</source>
        <translation>OK Health</translation>
    </message>
    <message>
        <source>Cannot start monitoring</source>
        <translation>Cannot start monitoring</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Open…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Check All Now</source>
        <translation>&amp;Check All Now</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About OK Health</source>
        <translation>&amp;About OK Health</translation>
    </message>
    <message>
        <source>Open Deployment Files</source>
        <translation>Open Deployment Files</translation>
    </message>
    <message>
        <source>Deployment files (*.json);;All files (*)</source>
        <translation>Deployment files (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Loading %1…</translation>
    </message>
    <message>
        <source>Cannot open the deployment file</source>
        <translation>Cannot open the deployment file</translation>
    </message>
    <message>
        <source>About OK Health</source>
        <translation>About OK Health</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;OK Health&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Live health of Open Klant deployments: every recommended check, what is wrong, why, and since when.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;OK Health&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Live health of Open Klant deployments: every recommended check, what is wrong, why, and since when.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Stopping the checks and saving history…</source>
        <translation>Stopping the checks and saving history…</translation>
    </message>
    <message numerus="yes">
        <source>Watching %n deployment(s)</source>
        <translation>
            <numerusform>Watching %n deployment</numerusform>
            <numerusform>Watching %n deployments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s)</source>
        <translation>
            <numerusform>%n check</numerusform>
            <numerusform>%n checks</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>Copy Failure Details as &amp;Markdown</source>
        <translation>Copy Failure Details as &amp;Markdown</translation>
    </message>
    <message>
        <source>Check &amp;Deployment Now</source>
        <translation>Check &amp;Deployment Now</translation>
    </message>
    <message>
        <source>Check &amp;Selected Now</source>
        <translation>Check &amp;Selected Now</translation>
    </message>
    <message>
        <source>&amp;Filter Services…</source>
        <translation>&amp;Filter Services…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>%1 %2 — %3</source>
        <translation>%1 %2 — %3</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>No recent files</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>&amp;Clear Menu</translation>
    </message>
    <message>
        <source>%1 is no longer there; it is taken off the recent files.</source>
        <translation>%1 is no longer there; it is taken off the recent files.</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Documentation</translation>
    </message>
    <message>
        <source>Documentation</source>
        <translation>Documentation</translation>
    </message>
    <message>
        <source>The documentation could not be opened. It is docs/desktop.md in the OK Health sources (expected at %1).</source>
        <translation>The documentation could not be opened. It is docs/desktop.md in the OK Health sources (expected at %1).</translation>
    </message>
    <message>
        <source>De&amp;ployment</source>
        <translation>De&amp;ployment</translation>
    </message>
    <message>
        <source>Run &amp;Smoke Check…</source>
        <translation>Run &amp;Smoke Check…</translation>
    </message>
    <message>
        <source>Every check of the deployment once, now, with a report to export</source>
        <translation>Every check of the deployment once, now, with a report to export</translation>
    </message>
    <message>
        <source>%1: the pause has ended, its checks run again.</source>
        <translation>%1: the pause has ended, its checks run again.</translation>
    </message>
    <message>
        <source>Acknowledged: %1</source>
        <translation>Acknowledged: %1</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>&amp;Acknowledge Incident</source>
        <translation>&amp;Acknowledge Incident</translation>
    </message>
    <message>
        <source>Mute the failing services&apos; notifications until they recover</source>
        <translation>Mute the failing services&apos; notifications until they recover</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Maintenance Window</source>
        <translation>&amp;Maintenance Window</translation>
    </message>
    <message>
        <source>&amp;End Maintenance Window</source>
        <translation>&amp;End Maintenance Window</translation>
    </message>
    <message>
        <source>&amp;Pause Checks</source>
        <translation>&amp;Pause Checks</translation>
    </message>
    <message>
        <source>&amp;Until Resumed</source>
        <translation>&amp;Until Resumed</translation>
    </message>
    <message>
        <source>&amp;Resume Checks</source>
        <translation>&amp;Resume Checks</translation>
    </message>
    <message>
        <source>%1: nothing is failing, nothing to acknowledge.</source>
        <translation>%1: nothing is failing, nothing to acknowledge.</translation>
    </message>
    <message>
        <source>%1: acknowledged %2; muted until they recover.</source>
        <translation>%1: acknowledged %2; muted until they recover.</translation>
    </message>
    <message>
        <source>%1: the maintenance window has ended.</source>
        <translation>%1: the maintenance window has ended.</translation>
    </message>
    <message>
        <source>%1: checks run again.</source>
        <translation>%1: checks run again.</translation>
    </message>
    <message>
        <source>&amp;New Deployment…</source>
        <translation>&amp;New Deployment…</translation>
    </message>
    <message>
        <source>&amp;Edit Deployment…</source>
        <translation>&amp;Edit Deployment…</translation>
    </message>
    <message>
        <source>Services, checks and the connection, checked as you type</source>
        <translation>Services, checks and the connection, checked as you type</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>An Open Klant deployment, page by page: connection, services, Celery</source>
        <translation>An Open Klant deployment, page by page: connection, services, Celery</translation>
    </message>
</context>
<context>
    <name>okh::MarkdownReport</name>
    <message>
        <source>Smoke check %1</source>
        <translation>Smoke check %1</translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>root cause: %1</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
</context>
<context>
    <name>okh::MonitorHost</name>
    <message>
        <source>Monitoring is not running.</source>
        <translation>Monitoring is not running.</translation>
    </message>
    <message>
        <source>%1 is not monitored.</source>
        <translation>%1 is not monitored.</translation>
    </message>
    <message>
        <source>%1 was restarted or closed during the smoke check.</source>
        <translation>%1 was restarted or closed during the smoke check.</translation>
    </message>
</context>
<context>
    <name>okh::MonitoringSession</name>
    <message>
        <source>cannot open the history file %1</source>
        <translation>cannot open the history file %1</translation>
    </message>
    <message>
        <source>the history file %1 is already written by another process (pid %2 on %3)</source>
        <translation>the history file %1 is already written by another process (pid %2 on %3)</translation>
    </message>
    <message>
        <source>%1 did not offer this key as unknown</source>
        <translation>%1 did not offer this key as unknown</translation>
    </message>
</context>
<context>
    <name>okh::NewDeploymentWizard</name>
    <message>
        <source>New Deployment</source>
        <translation>New Deployment</translation>
    </message>
    <message>
        <source>Name and connection</source>
        <translation>Name and connection</translation>
    </message>
    <message>
        <source>How OK Health reaches the deployment: directly, or through an SSH login on its host.</source>
        <translation>How OK Health reaches the deployment: directly, or through an SSH login on its host.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Direct (the ports are reachable from here)</source>
        <translation>Direct (the ports are reachable from here)</translation>
    </message>
    <message>
        <source>Through SSH</source>
        <translation>Through SSH</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Connection:</translation>
    </message>
    <message>
        <source>SSH &amp;host:</source>
        <translation>SSH &amp;host:</translation>
    </message>
    <message>
        <source>SSH &amp;port:</source>
        <translation>SSH &amp;port:</translation>
    </message>
    <message>
        <source>SSH &amp;user:</source>
        <translation>SSH &amp;user:</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>&amp;Key file:</translation>
    </message>
    <message>
        <source>Known hosts &amp;file:</source>
        <translation>Known hosts &amp;file:</translation>
    </message>
    <message>
        <source>~/.ssh/known_hosts (default)</source>
        <translation>~/.ssh/known_hosts (default)</translation>
    </message>
    <message>
        <source>&amp;Jump host:</source>
        <translation>&amp;Jump host:</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message>
        <source>Where each container answers, as seen from the connection. Empty fields take the profile&apos;s defaults (the compose service names and their ports).</source>
        <translation>Where each container answers, as seen from the connection. Empty fields take the profile&apos;s defaults (the compose service names and their ports).</translation>
    </message>
    <message>
        <source>&amp;Web host:</source>
        <translation>&amp;Web host:</translation>
    </message>
    <message>
        <source>Web port:</source>
        <translation>Web port:</translation>
    </message>
    <message>
        <source>&amp;nginx host:</source>
        <translation>&amp;nginx host:</translation>
    </message>
    <message>
        <source>nginx port:</source>
        <translation>nginx port:</translation>
    </message>
    <message>
        <source>&amp;Redis URL:</source>
        <translation>&amp;Redis URL:</translation>
    </message>
    <message>
        <source>&amp;PostgreSQL host:</source>
        <translation>&amp;PostgreSQL host:</translation>
    </message>
    <message>
        <source>PostgreSQL port:</source>
        <translation>PostgreSQL port:</translation>
    </message>
    <message>
        <source>PostgreSQL user:</source>
        <translation>PostgreSQL user:</translation>
    </message>
    <message>
        <source>PostgreSQL database:</source>
        <translation>PostgreSQL database:</translation>
    </message>
    <message>
        <source>&amp;Flower host:</source>
        <translation>&amp;Flower host:</translation>
    </message>
    <message>
        <source>Flower port:</source>
        <translation>Flower port:</translation>
    </message>
    <message>
        <source>Celery</source>
        <translation>Celery</translation>
    </message>
    <message>
        <source>The broker the workers use (CELERY_BROKER_URL) and the worker to ping.</source>
        <translation>The broker the workers use (CELERY_BROKER_URL) and the worker to ping.</translation>
    </message>
    <message>
        <source>&amp;Broker URL:</source>
        <translation>&amp;Broker URL:</translation>
    </message>
    <message>
        <source>the Redis URL (default)</source>
        <translation>the Redis URL (default)</translation>
    </message>
    <message>
        <source>&amp;Worker name:</source>
        <translation>&amp;Worker name:</translation>
    </message>
    <message>
        <source>any worker (default)</source>
        <translation>any worker (default)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>What the deployment file&apos;s loader says. Finish opens the deployment in the editor, every check spelled out, to look over and save.</source>
        <translation>What the deployment file&apos;s loader says. Finish opens the deployment in the editor, every check spelled out, to look over and save.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>a deployment named “%1” is already open</source>
        <translation>a deployment named “%1” is already open</translation>
    </message>
</context>
<context>
    <name>okh::OverviewView</name>
    <message>
        <source>No deployment is open.
Use File → Open… (Ctrl+O) to open a deployment file.</source>
        <translation>No deployment is open.
Use File → Open… (Ctrl+O) to open a deployment file.</translation>
    </message>
    <message>
        <source>Filter services: name, kind, check, cause…</source>
        <translation>Filter services: name, kind, check, cause…</translation>
    </message>
    <message>
        <source>Filter services</source>
        <translation>Filter services</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>All services</translation>
    </message>
    <message>
        <source>With problems</source>
        <translation>With problems</translation>
    </message>
    <message>
        <source>Unhealthy</source>
        <translation>Unhealthy</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>&quot;With problems&quot;: not healthy, or a check whose latest result failed.</source>
        <translation>&quot;With problems&quot;: not healthy, or a check whose latest result failed.</translation>
    </message>
    <message>
        <source>S&amp;how:</source>
        <translation>S&amp;how:</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1 (%2 of %3)</translation>
    </message>
</context>
<context>
    <name>okh::PassphraseDialog</name>
    <message>
        <source>SSH Key Passphrase</source>
        <translation>SSH Key Passphrase</translation>
    </message>
    <message>
        <source>That passphrase did not unlock &lt;b&gt;%1&lt;/b&gt;. Try again.</source>
        <translation>That passphrase did not unlock &lt;b&gt;%1&lt;/b&gt;. Try again.</translation>
    </message>
    <message>
        <source>The SSH key &lt;b&gt;%1&lt;/b&gt; is protected by a passphrase.</source>
        <translation>The SSH key &lt;b&gt;%1&lt;/b&gt; is protected by a passphrase.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>It is used for this connection only and never stored. To connect without being asked, load the key into ssh-agent (ssh-add).</source>
        <translation>It is used for this connection only and never stored. To connect without being asked, load the key into ssh-agent (ssh-add).</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Unlock</translation>
    </message>
</context>
<context>
    <name>okh::PostgresProbe</name>
    <message>
        <source>no attempt: no host or port configured</source>
        <translation>no attempt: no host or port configured</translation>
    </message>
    <message>
        <source>Set host and port of the PostgreSQL check.</source>
        <translation>Set host and port of the PostgreSQL check.</translation>
    </message>
    <message>
        <source>%1 - no response within %2</source>
        <translation>%1 - no response within %2</translation>
    </message>
    <message>
        <source>The port accepted the connection but PostgreSQL sent nothing: the server is frozen or overloaded, or another service listens there.</source>
        <translation>The port accepted the connection but PostgreSQL sent nothing: the server is frozen or overloaded, or another service listens there.</translation>
    </message>
    <message>
        <source>Packets are dropped on the way (firewall) or the host is down.</source>
        <translation>Packets are dropped on the way (firewall) or the host is down.</translation>
    </message>
    <message>
        <source>%1 - accepting connections</source>
        <translation>%1 - accepting connections</translation>
    </message>
    <message>
        <source>%1 - accepting connections; the server said: %2</source>
        <translation>%1 - accepting connections; the server said: %2</translation>
    </message>
    <message>
        <source>The server is up but out of connection slots (max_connections): new sessions of the application fail.</source>
        <translation>The server is up but out of connection slots (max_connections): new sessions of the application fail.</translation>
    </message>
    <message>
        <source>%1 - rejecting connections: %2</source>
        <translation>%1 - rejecting connections: %2</translation>
    </message>
    <message>
        <source>The server is up but refuses new sessions while it starts up, shuts down or recovers; a pending smart shutdown waits for open sessions to end.</source>
        <translation>The server is up but refuses new sessions while it starts up, shuts down or recovers; a pending smart shutdown waits for open sessions to end.</translation>
    </message>
    <message>
        <source>%1 - no response</source>
        <translation>%1 - no response</translation>
    </message>
    <message>
        <source>Something answers on this port, but not as PostgreSQL: check the port.</source>
        <translation>Something answers on this port, but not as PostgreSQL: check the port.</translation>
    </message>
    <message>
        <source>%1 - no response: %2</source>
        <translation>%1 - no response: %2</translation>
    </message>
</context>
<context>
    <name>okh::Probe</name>
    <message>
        <source>no answer within %1</source>
        <translation>no answer within %1</translation>
    </message>
    <message>
        <source>The service accepted the connection or is unreachable but did not answer in time; it may be overloaded, frozen or behind a firewall that drops packets.</source>
        <translation>The service accepted the connection or is unreachable but did not answer in time; it may be overloaded, frozen or behind a firewall that drops packets.</translation>
    </message>
</context>
<context>
    <name>okh::ProbeStatus</name>
    <message>
        <source>healthy</source>
        <translation>healthy</translation>
    </message>
    <message>
        <source>unhealthy</source>
        <translation>unhealthy</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>okh::RedisFailure</name>
    <message>
        <source>%1 refused the monitor&apos;s credentials: %2</source>
        <translation>%1 refused the monitor&apos;s credentials: %2</translation>
    </message>
    <message>
        <source>Put the password (and ACL user) the services use in the check&apos;s URL, as in CELERY_BROKER_URL: redis://[user]:password@host:port/db.</source>
        <translation>Put the password (and ACL user) the services use in the check&apos;s URL, as in CELERY_BROKER_URL: redis://[user]:password@host:port/db.</translation>
    </message>
    <message>
        <source>%1 is loading its dataset: %2</source>
        <translation>%1 is loading its dataset: %2</translation>
    </message>
    <message>
        <source>Redis is starting and reading its RDB/AOF file; it answers when done.</source>
        <translation>Redis is starting and reading its RDB/AOF file; it answers when done.</translation>
    </message>
    <message>
        <source>%1 cannot persist: %2</source>
        <translation>%1 cannot persist: %2</translation>
    </message>
    <message>
        <source>Redis stops accepting writes after a failed RDB snapshot: check disk space and permissions of its data directory.</source>
        <translation>Redis stops accepting writes after a failed RDB snapshot: check disk space and permissions of its data directory.</translation>
    </message>
    <message>
        <source>%1 refused the database number: %2</source>
        <translation>%1 refused the database number: %2</translation>
    </message>
    <message>
        <source>The database number in the URL does not exist on this server (see its &apos;databases&apos; setting).</source>
        <translation>The database number in the URL does not exist on this server (see its &apos;databases&apos; setting).</translation>
    </message>
    <message>
        <source>%1 answered with an error: %2</source>
        <translation>%1 answered with an error: %2</translation>
    </message>
    <message>
        <source>%1 is not a Redis server: it answered &quot;%2&quot;</source>
        <translation>%1 is not a Redis server: it answered &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Another service listens on this port: check the port in the deployment file.</source>
        <translation>Another service listens on this port: check the port in the deployment file.</translation>
    </message>
    <message>
        <source>The port is open but the peer hung up without a word. Redis does that to plain connections on its TLS port (tls-port): if the server uses TLS, write rediss://. Otherwise a different service listens there, or Redis is overloaded or restarting.</source>
        <translation>The port is open but the peer hung up without a word. Redis does that to plain connections on its TLS port (tls-port): if the server uses TLS, write rediss://. Otherwise a different service listens there, or Redis is overloaded or restarting.</translation>
    </message>
    <message>
        <source>The server does not speak TLS on this port: write redis://, or use the server&apos;s TLS port (tls-port).</source>
        <translation>The server does not speak TLS on this port: write redis://, or use the server&apos;s TLS port (tls-port).</translation>
    </message>
    <message>
        <source>The server wants a client certificate it trusts (tls-auth-clients): give ssl_certfile and ssl_keyfile, signed by a CA in the server&apos;s tls-ca-cert-file.</source>
        <translation>The server wants a client certificate it trusts (tls-auth-clients): give ssl_certfile and ssl_keyfile, signed by a CA in the server&apos;s tls-ca-cert-file.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted (give its CA with ssl_ca_certs), has expired, or is for another name (ssl_check_hostname), or the server wants a client certificate (ssl_certfile, ssl_keyfile).</source>
        <translation>The server&apos;s certificate is not trusted (give its CA with ssl_ca_certs), has expired, or is for another name (ssl_check_hostname), or the server wants a client certificate (ssl_certfile, ssl_keyfile).</translation>
    </message>
    <message>
        <source>cannot set up TLS for %1: %2</source>
        <translation>cannot set up TLS for %1: %2</translation>
    </message>
    <message>
        <source>Check ssl_certfile and ssl_keyfile: the key must belong to the certificate.</source>
        <translation>Check ssl_certfile and ssl_keyfile: the key must belong to the certificate.</translation>
    </message>
</context>
<context>
    <name>okh::RedisProbe</name>
    <message>
        <source>Redis at %1</source>
        <translation>Redis at %1</translation>
    </message>
    <message>
        <source>no Redis host or port configured</source>
        <translation>no Redis host or port configured</translation>
    </message>
    <message>
        <source>no connection to %1 within %2</source>
        <translation>no connection to %1 within %2</translation>
    </message>
    <message>
        <source>Packets are dropped on the way (firewall) or the host is down.</source>
        <translation>Packets are dropped on the way (firewall) or the host is down.</translation>
    </message>
    <message>
        <source>%1 accepted the connection but did not answer PING within %2</source>
        <translation>%1 accepted the connection but did not answer PING within %2</translation>
    </message>
    <message>
        <source>Redis is blocked (a long-running command or script, a fork for persistence under memory pressure, or a stopped process), or another service listens on this port.</source>
        <translation>Redis is blocked (a long-running command or script, a fork for persistence under memory pressure, or a stopped process), or another service listens on this port.</translation>
    </message>
    <message>
        <source>PONG from %1</source>
        <translation>PONG from %1</translation>
    </message>
    <message>
        <source>%1 answered PING with &quot;%2&quot;</source>
        <translation>%1 answered PING with &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1 accepted the connection but the TLS handshake did not finish within %2</source>
        <translation>%1 accepted the connection but the TLS handshake did not finish within %2</translation>
    </message>
    <message>
        <source>The server does not speak TLS on this port (a plain Redis port waits for a line that TLS never sends): write redis://, or use the server&apos;s TLS port (tls-port).</source>
        <translation>The server does not speak TLS on this port (a plain Redis port waits for a line that TLS never sends): write redis://, or use the server&apos;s TLS port (tls-port).</translation>
    </message>
</context>
<context>
    <name>okh::RedisTlsSetup</name>
    <message>
        <source>cannot read the %1 file %2: %3</source>
        <translation>cannot read the %1 file %2: %3</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA certificate</translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation>client certificate</translation>
    </message>
    <message>
        <source>client key</source>
        <translation>client key</translation>
    </message>
    <message>
        <source>%1 holds no unencrypted PEM private key (ssl_keyfile)</source>
        <translation>%1 holds no unencrypted PEM private key (ssl_keyfile)</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate (%2)</source>
        <translation>%1 holds no PEM certificate (%2)</translation>
    </message>
    <message>
        <source>this machine&apos;s Qt has no TLS backend (OpenSSL) for rediss://</source>
        <translation>this machine&apos;s Qt has no TLS backend (OpenSSL) for rediss://</translation>
    </message>
    <message>
        <source>ssl_keyfile needs ssl_certfile, the client certificate</source>
        <translation>ssl_keyfile needs ssl_certfile, the client certificate</translation>
    </message>
</context>
<context>
    <name>okh::RedisUrl</name>
    <message>
        <source>not a Redis URL: expected redis://[[user]:password@]host[:port][/db]</source>
        <translation>not a Redis URL: expected redis://[[user]:password@]host[:port][/db]</translation>
    </message>
    <message>
        <source>the scheme sentinel:// (Redis Sentinel) is not supported yet; give the current master as redis://host:port/db</source>
        <translation>the scheme sentinel:// (Redis Sentinel) is not supported yet; give the current master as redis://host:port/db</translation>
    </message>
    <message>
        <source>failover lists (URLs separated by &apos;;&apos;) are not supported; give one redis:// URL</source>
        <translation>failover lists (URLs separated by &apos;;&apos;) are not supported; give one redis:// URL</translation>
    </message>
    <message>
        <source>the URL has an &apos;@&apos; after the host; if the password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos;, percent-encode them (%2F, %3F, %23)</source>
        <translation>the URL has an &apos;@&apos; after the host; if the password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos;, percent-encode them (%2F, %3F, %23)</translation>
    </message>
    <message>
        <source>invalid IPv6 host: write it in brackets, like redis://[::1]:6379/0</source>
        <translation>invalid IPv6 host: write it in brackets, like redis://[::1]:6379/0</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in brackets is not an IPv6 address</source>
        <translation>&quot;%1&quot; in brackets is not an IPv6 address</translation>
    </message>
    <message>
        <source>the port must be a number between 1 and 65535</source>
        <translation>the port must be a number between 1 and 65535</translation>
    </message>
    <message>
        <source>the database (the URL path) must be a whole number between 0 and the server&apos;s limit - 1, not &quot;%1&quot;</source>
        <translation>the database (the URL path) must be a whole number between 0 and the server&apos;s limit - 1, not &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the query parameter &quot;%1&quot; is not supported (kombu rejects it as well)</source>
        <translation>the query parameter &quot;%1&quot; is not supported (kombu rejects it as well)</translation>
    </message>
    <message>
        <source>ssl_cert_reqs must be required, optional or none (or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE), not &quot;%1&quot;</source>
        <translation>ssl_cert_reqs must be required, optional or none (or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE), not &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the TLS parameter &quot;%1&quot; is not supported (supported: ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname)</source>
        <translation>the TLS parameter &quot;%1&quot; is not supported (supported: ssl_cert_reqs, ssl_ca_certs, ssl_certfile, ssl_keyfile, ssl_check_hostname)</translation>
    </message>
    <message>
        <source>the scheme %1:// is not supported; expected redis:// or rediss://</source>
        <translation>the scheme %1:// is not supported; expected redis:// or rediss://</translation>
    </message>
    <message>
        <source>the TLS parameter &quot;%1&quot; needs a rediss:// URL</source>
        <translation>the TLS parameter &quot;%1&quot; needs a rediss:// URL</translation>
    </message>
    <message>
        <source>ssl_check_hostname needs ssl_cert_reqs=required: redis-py refuses to check the name of a certificate it does not verify</source>
        <translation>ssl_check_hostname needs ssl_cert_reqs=required: redis-py refuses to check the name of a certificate it does not verify</translation>
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
        <translation>JUnit XML</translation>
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
        <translation>Text</translation>
    </message>
</context>
<context>
    <name>okh::RootCause</name>
    <message>
        <source>%1, but %2 answers the monitor: check %3&apos;s credentials, network and settings for it</source>
        <translation>%1, but %2 answers the monitor: check %3&apos;s credentials, network and settings for it</translation>
    </message>
    <message>
        <source>%1 checks %2 at %3, which does not answer</source>
        <translation>%1 checks %2 at %3, which does not answer</translation>
    </message>
    <message>
        <source>nothing answers: is the deployment running?</source>
        <translation>nothing answers: is the deployment running?</translation>
    </message>
    <message>
        <source>nothing answers on %1: is the deployment running, and are these the right host and ports?</source>
        <translation>nothing answers on %1: is the deployment running, and are these the right host and ports?</translation>
    </message>
</context>
<context>
    <name>okh::RunCommand</name>
    <message numerus="yes">
        <source>waiting for %n check(s) to become healthy</source>
        <translation>
            <numerusform>waiting for %n check to become healthy</numerusform>
            <numerusform>waiting for %n checks to become healthy</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs every check of a deployment once and reports per service.</source>
        <translation>Runs every check of a deployment once and reports per service.</translation>
    </message>
    <message>
        <source>Deployment file (JSON, see docs/deployment-file.md).</source>
        <translation>Deployment file (JSON, see docs/deployment-file.md).</translation>
    </message>
    <message>
        <source>Deployment to check when the file has several.</source>
        <translation>Deployment to check when the file has several.</translation>
    </message>
    <message>
        <source>Write the report to PATH instead of stdout.</source>
        <translation>Write the report to PATH instead of stdout.</translation>
    </message>
    <message>
        <source>Repeat until every gating check is healthy, at most SECONDS.</source>
        <translation>Repeat until every gating check is healthy, at most SECONDS.</translation>
    </message>
    <message>
        <source>--wait-ready: expected a number of seconds, got &quot;%1&quot;
</source>
        <translation>--wait-ready: expected a number of seconds, got &quot;%1&quot;
</translation>
    </message>
    <message>
        <source>%1: no deployment named &quot;%2&quot; (the file has: %3)
</source>
        <translation>%1: no deployment named &quot;%2&quot; (the file has: %3)
</translation>
    </message>
    <message>
        <source>%1: the file has %2 deployments; choose one with --deployment NAME (%3)
</source>
        <translation>%1: the file has %2 deployments; choose one with --deployment NAME (%3)
</translation>
    </message>
    <message>
        <source>cannot write the report to %1: %2
</source>
        <translation>cannot write the report to %1: %2
</translation>
    </message>
    <message>
        <source> (%1 s left)</source>
        <translation> (%1 s left)</translation>
    </message>
    <message>
        <source>Report format: text, json, junit, markdown or html.</source>
        <translation>Report format: text, json, junit, markdown or html.</translation>
    </message>
    <message>
        <source>usage: okhealth-check run FILE [--deployment NAME] [--format text|json|junit|markdown|html] [--output PATH] [--wait-ready SECONDS]
</source>
        <translation>usage: okhealth-check run FILE [--deployment NAME] [--format text|json|junit|markdown|html] [--output PATH] [--wait-ready SECONDS]
</translation>
    </message>
    <message>
        <source>--format: expected text, json, junit, markdown or html, got &quot;%1&quot;
</source>
        <translation>--format: expected text, json, junit, markdown or html, got &quot;%1&quot;
</translation>
    </message>
</context>
<context>
    <name>okh::ServeCommand</name>
    <message>
        <source>cannot listen on %1: %2
</source>
        <translation>cannot listen on %1: %2
</translation>
    </message>
    <message>
        <source>history: %1
</source>
        <translation>history: %1
</translation>
    </message>
    <message>
        <source>%1: connection up
</source>
        <translation>%1: connection up
</translation>
    </message>
    <message>
        <source>%1: connection down: %2
</source>
        <translation>%1: connection down: %2
</translation>
    </message>
    <message numerus="yes">
        <source>watching %n deployment(s) with %1 check(s); serving http://%2/metrics and /status
</source>
        <translation>
            <numerusform>watching %n deployment (checks: %1); serving http://%2/metrics and /status
</numerusform>
            <numerusform>watching %n deployments (checks: %1); serving http://%2/metrics and /status
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
        <translation>second signal: stopping without waiting for the history file
</translation>
    </message>
    <message>
        <source>shutting down
</source>
        <translation>shutting down
</translation>
    </message>
    <message>
        <source>Runs the checks of the deployments continuously and serves /metrics (Prometheus) and /status (JSON) over HTTP until SIGINT or SIGTERM.</source>
        <translation>Runs the checks of the deployments continuously and serves /metrics (Prometheus) and /status (JSON) over HTTP until SIGINT or SIGTERM.</translation>
    </message>
    <message>
        <source>Deployment file (JSON, see docs/deployment-file.md).</source>
        <translation>Deployment file (JSON, see docs/deployment-file.md).</translation>
    </message>
    <message>
        <source>A deployment to watch; repeat for several. Default: all.</source>
        <translation>A deployment to watch; repeat for several. Default: all.</translation>
    </message>
    <message>
        <source>Address and port to serve on, e.g. 127.0.0.1:9469 or [::1]:9469.</source>
        <translation>Address and port to serve on, e.g. 127.0.0.1:9469 or [::1]:9469.</translation>
    </message>
    <message>
        <source>Keep the results in this history file (SQLite). Default: no history.</source>
        <translation>Keep the results in this history file (SQLite). Default: no history.</translation>
    </message>
    <message>
        <source>usage: okhealth-check serve FILE [--deployment NAME]... [--listen ADDRESS:PORT] [--db PATH]
</source>
        <translation>usage: okhealth-check serve FILE [--deployment NAME]... [--listen ADDRESS:PORT] [--db PATH]
</translation>
    </message>
    <message>
        <source>--listen: expected ADDRESS:PORT with an IP address (IPv6 in brackets), got &quot;%1&quot;
</source>
        <translation>--listen: expected ADDRESS:PORT with an IP address (IPv6 in brackets), got &quot;%1&quot;
</translation>
    </message>
    <message>
        <source>--db: expected a file path
</source>
        <translation>--db: expected a file path
</translation>
    </message>
    <message>
        <source>%1: no deployment named &quot;%2&quot; (the file has: %3)
</source>
        <translation>%1: no deployment named &quot;%2&quot; (the file has: %3)
</translation>
    </message>
    <message>
        <source>cannot install the signal handlers: %1
</source>
        <translation>cannot install the signal handlers: %1
</translation>
    </message>
    <message>
        <source>the history file did not take the last results within 10 s; stopping without them
</source>
        <translation>the history file did not take the last results within 10 s; stopping without them
</translation>
    </message>
    <message>
        <source>%1; give each serve its own --db
</source>
        <translation>%1; give each serve its own --db
</translation>
    </message>
</context>
<context>
    <name>okh::ServiceAssessment</name>
    <message>
        <source>would be restarted: startup check %1 did not pass in time</source>
        <translation>would be restarted: startup check %1 did not pass in time</translation>
    </message>
    <message>
        <source>starting: waiting for the startup check to pass</source>
        <translation>starting: waiting for the startup check to pass</translation>
    </message>
    <message>
        <source>would be restarted: liveness check %1 is failing</source>
        <translation>would be restarted: liveness check %1 is failing</translation>
    </message>
    <message>
        <source>out of rotation: readiness check %1 is failing</source>
        <translation>out of rotation: readiness check %1 is failing</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>not known yet</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>serving</translation>
    </message>
</context>
<context>
    <name>okh::ServiceTileDelegate</name>
    <message>
        <source>no result yet</source>
        <translation>no result yet</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s ago</numerusform>
            <numerusform>%n s ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message>
        <source>waiting for the first results</source>
        <translation>waiting for the first results</translation>
    </message>
    <message>
        <source>acknowledged by %1</source>
        <translation>acknowledged by %1</translation>
    </message>
</context>
<context>
    <name>okh::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;General</translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Notifications</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;History</translation>
    </message>
    <message>
        <source>Every setting on these pages back to its default</source>
        <translation>Every setting on these pages back to its default</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>As the system</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Theme:</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>Start &amp;minimised to the tray</source>
        <translation>Start &amp;minimised to the tray</translation>
    </message>
    <message>
        <source>The window stays hidden at start; the tray icon shows the status</source>
        <translation>The window stays hidden at start; the tray icon shows the status</translation>
    </message>
    <message>
        <source>Start at &amp;login</source>
        <translation>Start at &amp;login</translation>
    </message>
    <message>
        <source>An autostart entry starts OK Health when you log in to this desktop</source>
        <translation>An autostart entry starts OK Health when you log in to this desktop</translation>
    </message>
    <message>
        <source>&amp;Closing the window keeps watching in the tray</source>
        <translation>&amp;Closing the window keeps watching in the tray</translation>
    </message>
    <message>
        <source>Quit from the File menu or the tray icon&apos;s menu</source>
        <translation>Quit from the File menu or the tray icon&apos;s menu</translation>
    </message>
    <message>
        <source>Show &amp;desktop notifications</source>
        <translation>Show &amp;desktop notifications</translation>
    </message>
    <message>
        <source>When a service changes state, root cause first</source>
        <translation>When a service changes state, root cause first</translation>
    </message>
    <message>
        <source>Notify when a service:</source>
        <translation>Notify when a service:</translation>
    </message>
    <message>
        <source>would be &amp;restarted (a liveness or startup check fails)</source>
        <translation>would be &amp;restarted (a liveness or startup check fails)</translation>
    </message>
    <message>
        <source>The orchestrator would restart it</source>
        <translation>The orchestrator would restart it</translation>
    </message>
    <message>
        <source>goes &amp;out of rotation (a readiness check fails)</source>
        <translation>goes &amp;out of rotation (a readiness check fails)</translation>
    </message>
    <message>
        <source>It would get no traffic</source>
        <translation>It would get no traffic</translation>
    </message>
    <message>
        <source>cannot be &amp;checked (no answer from the monitor&apos;s side, SSH down)</source>
        <translation>cannot be &amp;checked (no answer from the monitor&apos;s side, SSH down)</translation>
    </message>
    <message>
        <source>The monitor&apos;s own trouble, not the service&apos;s</source>
        <translation>The monitor&apos;s own trouble, not the service&apos;s</translation>
    </message>
    <message>
        <source>After a notification that it was failing</source>
        <translation>After a notification that it was failing</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>At most one notification per service in this many minutes</source>
        <translation>At most one notification per service in this many minutes</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>no limit</translation>
    </message>
    <message>
        <source>At most one per service every:</source>
        <translation>At most one per service every:</translation>
    </message>
    <message>
        <source>Play a &amp;sound</source>
        <translation>Play a &amp;sound</translation>
    </message>
    <message>
        <source>The desktop&apos;s warning sound</source>
        <translation>The desktop&apos;s warning sound</translation>
    </message>
    <message>
        <source>Changes within a few seconds go out as one notification; a service that keeps changing is told once, then again when it has settled.</source>
        <translation>Changes within a few seconds go out as one notification; a service that keeps changing is told once, then again when it has settled.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>forever</source>
        <translation>forever</translation>
    </message>
    <message>
        <source>Every &amp;result:</source>
        <translation>Every &amp;result:</translation>
    </message>
    <message>
        <source>Keep every result for</source>
        <translation>Keep every result for</translation>
    </message>
    <message>
        <source>Per-&amp;minute summaries:</source>
        <translation>Per-&amp;minute summaries:</translation>
    </message>
    <message>
        <source>Keep per-minute summaries for</source>
        <translation>Keep per-minute summaries for</translation>
    </message>
    <message>
        <source>Per-h&amp;our summaries:</source>
        <translation>Per-h&amp;our summaries:</translation>
    </message>
    <message>
        <source>Keep per-hour summaries for</source>
        <translation>Keep per-hour summaries for</translation>
    </message>
    <message>
        <source>Older rows are removed in small steps while the app runs; the history view uses the summaries for long ranges.</source>
        <translation>Older rows are removed in small steps while the app runs; the history view uses the summaries for long ranges.</translation>
    </message>
    <message>
        <source>The language changes when OK Health is started again.</source>
        <translation>The language changes when OK Health is started again.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Start at login could not be saved: %1</source>
        <translation>Start at login could not be saved: %1</translation>
    </message>
    <message>
        <source>Starts at login: %1</source>
        <translation>Starts at login: %1</translation>
    </message>
    <message>
        <source>is healthy &amp;again</source>
        <translation>is healthy &amp;again</translation>
    </message>
    <message>
        <source>&amp;Checks</source>
        <translation>&amp;Checks</translation>
    </message>
    <message>
        <source>For checks added in the deployment editor; a deployment file without them means 10 s and 1 s.</source>
        <translation>For checks added in the deployment editor; a deployment file without them means 10 s and 1 s.</translation>
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
        <translation>Interval of new checks</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>&amp;Timeout:</translation>
    </message>
    <message>
        <source>Timeout of new checks</source>
        <translation>Timeout of new checks</translation>
    </message>
</context>
<context>
    <name>okh::SmokeCheckDialog</name>
    <message>
        <source>Smoke Check: %1</source>
        <translation>Smoke Check: %1</translation>
    </message>
    <message>
        <source>&amp;Wait until ready, at most</source>
        <translation>&amp;Wait until ready, at most</translation>
    </message>
    <message>
        <source>Runs every check again, a second apart, until every liveness, readiness and startup check is healthy or the time is up, as okhealth-check run --wait-ready does for releases.</source>
        <translation>Runs every check again, a second apart, until every liveness, readiness and startup check is healthy or the time is up, as okhealth-check run --wait-ready does for releases.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Longest wait until ready, in seconds</source>
        <translation>Longest wait until ready, in seconds</translation>
    </message>
    <message>
        <source>&amp;Run Again</source>
        <translation>&amp;Run Again</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stop</translation>
    </message>
    <message>
        <source>Checks done</source>
        <translation>Checks done</translation>
    </message>
    <message>
        <source>%v of %m checks</source>
        <translation>%v of %m checks</translation>
    </message>
    <message>
        <source>Smoke check results per service</source>
        <translation>Smoke check results per service</translation>
    </message>
    <message>
        <source>Failure details of the selected check</source>
        <translation>Failure details of the selected check</translation>
    </message>
    <message>
        <source>Select a failing check to see its target, details and hint.</source>
        <translation>Select a failing check to see its target, details and hint.</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>&amp;Copy as Markdown</source>
        <translation>&amp;Copy as Markdown</translation>
    </message>
    <message>
        <source>Running every check of %1…</source>
        <translation>Running every check of %1…</translation>
    </message>
    <message>
        <source>Stopped before any result.</source>
        <translation>Stopped before any result.</translation>
    </message>
    <message>
        <source>Round %1: %2 of %3 checks</source>
        <translation>Round %1: %2 of %3 checks</translation>
    </message>
    <message>
        <source>%1 of %2 checks</source>
        <translation>%1 of %2 checks</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n check(s) to become healthy</source>
        <translation>
            <numerusform>Waiting for %n check to become healthy</numerusform>
            <numerusform>Waiting for %n checks to become healthy</numerusform>
        </translation>
    </message>
    <message>
        <source> (%1 s left)</source>
        <translation> (%1 s left)</translation>
    </message>
    <message>
        <source>The smoke check could not run: %1</source>
        <translation>The smoke check could not run: %1</translation>
    </message>
    <message>
        <source>Root cause: %1</source>
        <translation>Root cause: %1</translation>
    </message>
    <message>
        <source>Export Smoke Check as %1</source>
        <translation>Export Smoke Check as %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Could not save %1: %2</translation>
    </message>
    <message>
        <source>Monitoring is not running.</source>
        <translation>Monitoring is not running.</translation>
    </message>
</context>
<context>
    <name>okh::SmokeReportModel</name>
    <message>
        <source>passed</source>
        <translation>passed</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>could not run</source>
        <translation>could not run</translation>
    </message>
    <message>
        <source>root cause</source>
        <translation>root cause</translation>
    </message>
    <message numerus="yes">
        <source>because %1 is failing</source>
        <translation>
            <numerusform>because %1 is failing</numerusform>
            <numerusform>because %1 are failing</numerusform>
        </translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Service / check</source>
        <translation>Service / check</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
</context>
<context>
    <name>okh::SocketFailure</name>
    <message>
        <source>connection refused by %1</source>
        <translation>connection refused by %1</translation>
    </message>
    <message>
        <source>Nothing listens on that port: the container is down, still starting, or listens on another port or interface.</source>
        <translation>Nothing listens on that port: the container is down, still starting, or listens on another port or interface.</translation>
    </message>
    <message>
        <source>cannot resolve the host name of %1</source>
        <translation>cannot resolve the host name of %1</translation>
    </message>
    <message>
        <source>DNS failure on the monitor&apos;s side: check the host name in the deployment file, or reach the deployment through its SSH connection where the name resolves.</source>
        <translation>DNS failure on the monitor&apos;s side: check the host name in the deployment file, or reach the deployment through its SSH connection where the name resolves.</translation>
    </message>
    <message>
        <source>%1 closed the connection without answering</source>
        <translation>%1 closed the connection without answering</translation>
    </message>
    <message>
        <source>The port is open but the peer hung up: a different service may listen there, or the service is overloaded or restarting.</source>
        <translation>The port is open but the peer hung up: a different service may listen there, or the service is overloaded or restarting.</translation>
    </message>
    <message>
        <source>the SSH server refused to forward the connection to %1</source>
        <translation>the SSH server refused to forward the connection to %1</translation>
    </message>
    <message>
        <source>Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this target); ask its administrator, or run the check as an exec check on the host.</source>
        <translation>Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this target); ask its administrator, or run the check as an exec check on the host.</translation>
    </message>
    <message>
        <source>cannot reach %1 through the SSH tunnel: %2</source>
        <translation>cannot reach %1 through the SSH tunnel: %2</translation>
    </message>
    <message>
        <source>The deployment&apos;s SSH connection is down or reconnecting.</source>
        <translation>The deployment&apos;s SSH connection is down or reconnecting.</translation>
    </message>
    <message>
        <source>cannot reach %1: %2</source>
        <translation>cannot reach %1: %2</translation>
    </message>
    <message>
        <source>The monitor has no route to the host: check the network or VPN, or use an SSH connection.</source>
        <translation>The monitor has no route to the host: check the network or VPN, or use an SSH connection.</translation>
    </message>
    <message>
        <source>%1 did not answer in time</source>
        <translation>%1 did not answer in time</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed: %2</source>
        <translation>TLS handshake with %1 failed: %2</translation>
    </message>
    <message>
        <source>The certificate is not trusted, expired or for another name, or the port does not speak TLS.</source>
        <translation>The certificate is not trusted, expired or for another name, or the port does not speak TLS.</translation>
    </message>
    <message>
        <source>connection to %1 failed: %2</source>
        <translation>connection to %1 failed: %2</translation>
    </message>
</context>
<context>
    <name>okh::SshConfigFile</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>cannot read the file: %1</translation>
    </message>
    <message>
        <source>cannot read the included file %1: %2</source>
        <translation>cannot read the included file %1: %2</translation>
    </message>
    <message>
        <source>the file is larger than 4 MiB; is it an ssh config?</source>
        <translation>the file is larger than 4 MiB; is it an ssh config?</translation>
    </message>
    <message>
        <source>no argument after keyword %1</source>
        <translation>no argument after keyword %1</translation>
    </message>
    <message>
        <source>invalid quotes: a quote is not closed</source>
        <translation>invalid quotes: a quote is not closed</translation>
    </message>
    <message>
        <source>%1 takes one value; quote a value with spaces</source>
        <translation>%1 takes one value; quote a value with spaces</translation>
    </message>
    <message>
        <source>Host: an empty pattern</source>
        <translation>Host: an empty pattern</translation>
    </message>
    <message>
        <source>StrictHostKeyChecking: unknown value %1 (ssh takes: %2)</source>
        <translation>StrictHostKeyChecking: unknown value %1 (ssh takes: %2)</translation>
    </message>
    <message>
        <source>ProxyJump: %1</source>
        <translation>ProxyJump: %1</translation>
    </message>
    <message>
        <source>Include: nested more than %1 levels deep; does a file include itself?</source>
        <translation>Include: nested more than %1 levels deep; does a file include itself?</translation>
    </message>
    <message>
        <source>Include: cannot expand %1</source>
        <translation>Include: cannot expand %1</translation>
    </message>
    <message>
        <source>an unterminated ${ in %1</source>
        <translation>an unterminated ${ in %1</translation>
    </message>
    <message>
        <source>environment variable %1 is not set</source>
        <translation>environment variable %1 is not set</translation>
    </message>
    <message>
        <source>a lone &apos;%&apos; at the end of %1; write %% for a percent sign</source>
        <translation>a lone &apos;%&apos; at the end of %1; write %% for a percent sign</translation>
    </message>
    <message>
        <source>unsupported token %1 in %2 (supported: %%, %d, %h, %i, %k, %L, %l, %n, %p, %r, %u, %j)</source>
        <translation>unsupported token %1 in %2 (supported: %%, %d, %h, %i, %k, %L, %l, %n, %p, %r, %u, %j)</translation>
    </message>
    <message>
        <source>an empty user name in %1</source>
        <translation>an empty user name in %1</translation>
    </message>
    <message>
        <source>%1 is not [user@]host[:port]</source>
        <translation>%1 is not [user@]host[:port]</translation>
    </message>
    <message>
        <source>an empty element in %1</source>
        <translation>an empty element in %1</translation>
    </message>
    <message>
        <source>no host in %1</source>
        <translation>no host in %1</translation>
    </message>
    <message>
        <source>bad port in %1</source>
        <translation>bad port in %1</translation>
    </message>
    <message>
        <source>bad owner or permissions: the file must belong to you or root and not be writable by group or others (OpenSSH refuses it too); chmod go-w</source>
        <translation>bad owner or permissions: the file must belong to you or root and not be writable by group or others (OpenSSH refuses it too); chmod go-w</translation>
    </message>
    <message>
        <source>Port: expected a port from 1 to 65535 or a service name, got %1</source>
        <translation>Port: expected a port from 1 to 65535 or a service name, got %1</translation>
    </message>
</context>
<context>
    <name>okh::SshConnectionTest</name>
    <message numerus="yes">
        <source>no answer within %n second(s)</source>
        <translation>
            <numerusform>no answer within %n second</numerusform>
            <numerusform>no answer within %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::SshHostKey</name>
    <message>
        <source>no host key to add</source>
        <translation>no host key to add</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>cannot create %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>okh::SshPrompts</name>
    <message>
        <source>SSH Host Key Changed</source>
        <translation>SSH Host Key Changed</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;The SSH server of deployment %1 (%2) offered a different host key than its known_hosts file has.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Someone may be intercepting the connection, or the host was reinstalled. OK Health does not connect to it. Ask the host&apos;s administrator for the new key&apos;s fingerprint, and correct %3 yourself once it is confirmed.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;The SSH server of deployment %1 (%2) offered a different host key than its known_hosts file has.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Someone may be intercepting the connection, or the host was reinstalled. OK Health does not connect to it. Ask the host&apos;s administrator for the new key&apos;s fingerprint, and correct %3 yourself once it is confirmed.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Offered: %1 key %2</source>
        <translation>Offered: %1 key %2</translation>
    </message>
    <message>
        <source>Cannot Trust the Host Key</source>
        <translation>Cannot Trust the Host Key</translation>
    </message>
    <message>
        <source>The host key of %1 (deployment %2) could not be added: %3</source>
        <translation>The host key of %1 (deployment %2) could not be added: %3</translation>
    </message>
</context>
<context>
    <name>okh::SshSession</name>
    <message>
        <source>SSH handshake with %1 timed out</source>
        <translation>SSH handshake with %1 timed out</translation>
    </message>
    <message>
        <source>SSH handshake with %1 failed: %2</source>
        <translation>SSH handshake with %1 failed: %2</translation>
    </message>
    <message>
        <source>the server sent no host key</source>
        <translation>the server sent no host key</translation>
    </message>
    <message>
        <source>cannot read known_hosts file %1: %2</source>
        <translation>cannot read known_hosts file %1: %2</translation>
    </message>
    <message>
        <source>HOST KEY CHANGED for %1: the server offers %2 key %3, which differs from %4. Someone may be intercepting the connection, or the host was reinstalled; verify the key with its administrator before you update known_hosts.</source>
        <translation>HOST KEY CHANGED for %1: the server offers %2 key %3, which differs from %4. Someone may be intercepting the connection, or the host was reinstalled; verify the key with its administrator before you update known_hosts.</translation>
    </message>
    <message>
        <source>the host key of %1 is unknown: %2 key fingerprint is %3. Check it with the host&apos;s administrator, then add it to %4 (or set hostKeyPolicy to accept-new).</source>
        <translation>the host key of %1 is unknown: %2 key fingerprint is %3. Check it with the host&apos;s administrator, then add it to %4 (or set hostKeyPolicy to accept-new).</translation>
    </message>
    <message>
        <source>cannot check the host key of %1: %2</source>
        <translation>cannot check the host key of %1: %2</translation>
    </message>
    <message>
        <source>%1: cannot list authentication methods: %2</source>
        <translation>%1: cannot list authentication methods: %2</translation>
    </message>
    <message>
        <source>%1: authentication timed out</source>
        <translation>%1: authentication timed out</translation>
    </message>
    <message>
        <source>the agent&apos;s keys</source>
        <translation>the agent&apos;s keys</translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation>%1 (missing)</translation>
    </message>
    <message>
        <source>%1 (no passphrase given)</source>
        <translation>%1 (no passphrase given)</translation>
    </message>
    <message>
        <source>%1 (cannot read it: wrong passphrase or unsupported format)</source>
        <translation>%1 (cannot read it: wrong passphrase or unsupported format)</translation>
    </message>
    <message>
        <source>%1 (RSA: libssh2 signs with SHA-1, which OpenSSH 8.8+ refuses by default; use an ed25519 key)</source>
        <translation>%1 (RSA: libssh2 signs with SHA-1, which OpenSSH 8.8+ refuses by default; use an ed25519 key)</translation>
    </message>
    <message>
        <source>%1: authentication failed (server accepts: %2; tried: %3)</source>
        <translation>%1: authentication failed (server accepts: %2; tried: %3)</translation>
    </message>
    <message>
        <source>no keys</source>
        <translation>no keys</translation>
    </message>
    <message>
        <source>cannot add the host key: %1</source>
        <translation>cannot add the host key: %1</translation>
    </message>
</context>
<context>
    <name>okh::SshTunnel</name>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation>cannot resolve %1: %2</translation>
    </message>
    <message>
        <source>no TCP connection to %1 within %2 s</source>
        <translation>no TCP connection to %1 within %2 s</translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>cannot connect to %1: %2</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>timed out</translation>
    </message>
    <message>
        <source>jump host %1 cannot reach %2: %3</source>
        <translation>jump host %1 cannot reach %2: %3</translation>
    </message>
    <message>
        <source>cannot create a socket pair</source>
        <translation>cannot create a socket pair</translation>
    </message>
    <message>
        <source>cannot reach deployment: %1</source>
        <translation>cannot reach deployment: %1</translation>
    </message>
    <message>
        <source>cannot open an exec channel: %1</source>
        <translation>cannot open an exec channel: %1</translation>
    </message>
    <message>
        <source>the SSH server refused to run the command: %1</source>
        <translation>the SSH server refused to run the command: %1</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>not connected</translation>
    </message>
    <message>
        <source>the connection to the SSH server failed</source>
        <translation>the connection to the SSH server failed</translation>
    </message>
    <message>
        <source>the connection through the jump host was lost</source>
        <translation>the connection through the jump host was lost</translation>
    </message>
    <message>
        <source>monitor stopped</source>
        <translation>monitor stopped</translation>
    </message>
    <message>
        <source>cannot open the local tunnel endpoint on 127.0.0.1</source>
        <translation>cannot open the local tunnel endpoint on 127.0.0.1</translation>
    </message>
    <message>
        <source>not connected yet</source>
        <translation>not connected yet</translation>
    </message>
    <message>
        <source>the SSH server did not answer a channel request within %1 s</source>
        <translation>the SSH server did not answer a channel request within %1 s</translation>
    </message>
    <message>
        <source>the connection was lost while the command ran</source>
        <translation>the connection was lost while the command ran</translation>
    </message>
    <message>
        <source>cannot start the command: the SSH connection is congested</source>
        <translation>cannot start the command: the SSH connection is congested</translation>
    </message>
    <message>
        <source>the connection to the SSH server stopped taking data</source>
        <translation>the connection to the SSH server stopped taking data</translation>
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
        <translation>no host or port configured</translation>
    </message>
    <message>
        <source>no connection to %1 within %2</source>
        <translation>no connection to %1 within %2</translation>
    </message>
    <message>
        <source>Packets are dropped on the way (firewall) or the host is down.</source>
        <translation>Packets are dropped on the way (firewall) or the host is down.</translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation>connected to %1</translation>
    </message>
</context>
<context>
    <name>okh::TerminalPassphrase</name>
    <message>
        <source>Enter passphrase for key &apos;%1&apos;: </source>
        <translation>Enter passphrase for key &apos;%1&apos;: </translation>
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
            <numerusform>%n check failing</numerusform>
            <numerusform>%n checks failing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) could not run</source>
        <translation>
            <numerusform>%n check could not run</numerusform>
            <numerusform>%n checks could not run</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %n check(s) passed</source>
        <translation>
            <numerusform>%n check passed</numerusform>
            <numerusform>all %n checks passed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n info check(s) not healthy</source>
        <translation>
            <numerusform>%n info check not healthy</numerusform>
            <numerusform>%n info checks not healthy</numerusform>
        </translation>
    </message>
    <message>
        <source>root cause: %1</source>
        <translation>root cause: %1</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message numerus="yes">
        <source>because %1 is failing</source>
        <translation>
            <numerusform>because %1 is failing</numerusform>
            <numerusform>because %1 are failing</numerusform>
        </translation>
    </message>
    <message>
        <source>target: %1</source>
        <translation>target: %1</translation>
    </message>
    <message>
        <source>hint: %1</source>
        <translation>hint: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: consequence of %2 — %3</source>
        <translation>%1: consequence of %2 — %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n check(s) in %2</source>
        <translation>
            <numerusform>%1 · %n check in %2</numerusform>
            <numerusform>%1 · %n checks in %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::TimelineBand</name>
    <message numerus="yes">
        <source>%1 %2–%3 (%4, %n result(s))</source>
        <translation>
            <numerusform>%1 %2–%3 (%4, %n result)</numerusform>
            <numerusform>%1 %2–%3 (%4, %n results)</numerusform>
        </translation>
    </message>
    <message>
        <source>no results in this range</source>
        <translation>no results in this range</translation>
    </message>
    <message>
        <source>no results before %1</source>
        <translation>no results before %1</translation>
    </message>
</context>
<context>
    <name>okh::TrayIcon</name>
    <message>
        <source>&amp;Show OK Health</source>
        <translation>&amp;Show OK Health</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
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
        <translation>No deployment open</translation>
    </message>
    <message numerus="yes">
        <source>%n unhealthy</source>
        <translation>
            <numerusform>%n unhealthy</numerusform>
            <numerusform>%n unhealthy</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unknown</source>
        <translation>
            <numerusform>%n unknown</numerusform>
            <numerusform>%n unknown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n healthy</source>
        <translation>
            <numerusform>%n healthy</numerusform>
            <numerusform>%n healthy</numerusform>
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
        <translation>The monitor cannot reach the deployment over SSH; the services&apos; state is not known. The connection is retried with backoff.</translation>
    </message>
    <message>
        <source>the SSH server refused to forward the connection to %1</source>
        <translation>the SSH server refused to forward the connection to %1</translation>
    </message>
    <message>
        <source>Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this target); ask its administrator, or check from the host with an exec check.</source>
        <translation>Port forwarding is disabled on the SSH server (AllowTcpForwarding no, or PermitOpen excludes this target); ask its administrator, or check from the host with an exec check.</translation>
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
        <translation>%1 through %2</translation>
    </message>
    <message>
        <source>deployment %1: %2
</source>
        <translation>deployment %1: %2
</translation>
    </message>
    <message>
        <source>  service %1 (%2)</source>
        <translation>  service %1 (%2)</translation>
    </message>
    <message>
        <source>, depends on %1</source>
        <translation>, depends on %1</translation>
    </message>
    <message>
        <source>    %1: %2 %3, every %4, timeout %5: %6
</source>
        <translation>    %1: %2 %3, every %4, timeout %5: %6
</translation>
    </message>
    <message>
        <source>Checks deployment files without connecting to anything: loads each as run and serve would, prints what it would watch, exits 0 when every file is valid and 2 otherwise.</source>
        <translation>Checks deployment files without connecting to anything: loads each as run and serve would, prints what it would watch, exits 0 when every file is valid and 2 otherwise.</translation>
    </message>
    <message>
        <source>Deployment files (JSON, see docs/deployment-file.md).</source>
        <translation>Deployment files (JSON, see docs/deployment-file.md).</translation>
    </message>
    <message>
        <source>Print only errors, not what would be watched.</source>
        <translation>Print only errors, not what would be watched.</translation>
    </message>
    <message>
        <source>usage: okhealth-check validate FILE... [--quiet]
</source>
        <translation>usage: okhealth-check validate FILE... [--quiet]
</translation>
    </message>
    <message>
        <source>%1: valid: %2, %3, %4
</source>
        <translation>%1: valid: %2, %3, %4
</translation>
    </message>
    <message numerus="yes">
        <source>%n deployment(s)</source>
        <translation>
            <numerusform>%n deployment</numerusform>
            <numerusform>%n deployments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation>
            <numerusform>%n service</numerusform>
            <numerusform>%n services</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s)</source>
        <translation>
            <numerusform>%n check</numerusform>
            <numerusform>%n checks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::VariableExpansion</name>
    <message>
        <source>unterminated &quot;${&quot;: write ${NAME}, or $${ for a literal &quot;${&quot;</source>
        <translation>unterminated &quot;${&quot;: write ${NAME}, or $${ for a literal &quot;${&quot;</translation>
    </message>
    <message>
        <source>environment variable %1 is not set</source>
        <translation>environment variable %1 is not set</translation>
    </message>
    <message>
        <source>&quot;${}&quot; names no variable</source>
        <translation>&quot;${}&quot; names no variable</translation>
    </message>
    <message>
        <source>&quot;${%1&quot; is followed by %2, which a variable name cannot hold: names are letters, digits and &apos;_&apos;, not starting with a digit; a default is written ${NAME:-default}</source>
        <translation>&quot;${%1&quot; is followed by %2, which a variable name cannot hold: names are letters, digits and &apos;_&apos;, not starting with a digit; a default is written ${NAME:-default}</translation>
    </message>
    <message>
        <source>the default of ${%1:-…} holds another &quot;${&quot;: nested references are not supported</source>
        <translation>the default of ${%1:-…} holds another &quot;${&quot;: nested references are not supported</translation>
    </message>
    <message>
        <source>&quot;${keychain:%1}&quot; is not a keychain key: keys are letters, digits and &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, &apos;/&apos;</source>
        <translation>&quot;${keychain:%1}&quot; is not a keychain key: keys are letters, digits and &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, &apos;/&apos;</translation>
    </message>
    <message>
        <source>keychain entry &quot;%1&quot; was not found</source>
        <translation>keychain entry &quot;%1&quot; was not found</translation>
    </message>
    <message>
        <source>keychain entry &quot;%1&quot;: %2</source>
        <translation>keychain entry &quot;%1&quot;: %2</translation>
    </message>
</context>
<context>
    <name>okh::WorkerPicker</name>
    <message>
        <source>A worker is called celery@HOSTNAME unless started with -n: in a container that is the container&apos;s hostname (often its ID), not the service&apos;s name. Empty: any worker.</source>
        <translation>A worker is called celery@HOSTNAME unless started with -n: in a container that is the container&apos;s hostname (often its ID), not the service&apos;s name. Empty: any worker.</translation>
    </message>
    <message>
        <source>&amp;Find Workers</source>
        <translation>&amp;Find Workers</translation>
    </message>
    <message>
        <source>Ping every worker on this broker and listen for their heartbeats</source>
        <translation>Ping every worker on this broker and listen for their heartbeats</translation>
    </message>
    <message>
        <source>Workers found</source>
        <translation>Workers found</translation>
    </message>
    <message>
        <source>Correct the deployment first: the broker is read from it</source>
        <translation>Correct the deployment first: the broker is read from it</translation>
    </message>
    <message>
        <source>Asking the workers on %1…</source>
        <translation>Asking the workers on %1…</translation>
    </message>
    <message>
        <source>Cannot ask the broker: %1</source>
        <translation>Cannot ask the broker: %1</translation>
    </message>
    <message>
        <source>No worker answered or sent a heartbeat on this broker.</source>
        <translation>No worker answered or sent a heartbeat on this broker.</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) found: activate one to add it.</source>
        <translation>
            <numerusform>%n worker found: activate it to add it.</numerusform>
            <numerusform>%n workers found: activate one to add it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>okh::main</name>
    <message>
        <source>okhealth-check: unknown command &quot;%1&quot;

</source>
        <translation>okhealth-check: unknown command &quot;%1&quot;

</translation>
    </message>
    <message>
        <source>Live health of Open Klant deployments.</source>
        <translation>Live health of Open Klant deployments.</translation>
    </message>
    <message>
        <source>Deployment files to open.</source>
        <translation>Deployment files to open.</translation>
    </message>
    <message>
        <source>Start a stand-in Open Klant deployment of real servers on this computer (redis, PostgreSQL, Django, Celery, nginx) and watch it.</source>
        <translation>Start a stand-in Open Klant deployment of real servers on this computer (redis, PostgreSQL, Django, Celery, nginx) and watch it.</translation>
    </message>
    <message>
        <source>As --demo, unless deployment files were opened before.</source>
        <translation>As --demo, unless deployment files were opened before.</translation>
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
        <translation>Usage: okhealth-check COMMAND [OPTIONS]

Health checks for Open Klant deployments.

Commands:
  run FILE              run every check of a deployment once and report per service
  serve FILE            run the checks continuously; serve /metrics (Prometheus) and /status
  validate FILE...      check deployment files without connecting; print what they watch
  health-check          HTTP check, a drop-in for `maykin-common health-check`
  worker-health-check   Celery worker check, a drop-in for `maykin-common worker-health-check`
  beat-health-check     Celery beat check, a drop-in for `maykin-common beat-health-check`

Run `okhealth-check COMMAND --help` for the options of a command.
</translation>
    </message>
</context>
</TS>
