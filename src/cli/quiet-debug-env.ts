// Imported first by cli.ts, before any library loads: `DEBUG=*` (or `DEBUG=mqttjs*`) makes the bundled `debug`
// package print MQTT.js's CONNECT options and aedes's packets, passwords and authorizer tokens included. No
// environment variable may make a secret appear, so `debug` never sees one: it reads DEBUG when it loads.
delete process.env.DEBUG;
