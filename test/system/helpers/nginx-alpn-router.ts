// Runs nginx as an AWS-style port-443 router in front of mosquitto: MQTT by ALPN name, HTTPS otherwise.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerPki } from './broker-pki.js';
import { startDaemon } from './daemon-process.js';
import { freePort, withFreshPorts } from './free-port.js';
import type { Teardown } from './teardown.js';

export const NGINX_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

/** The router's ports, all on `host`. */
export interface NginxAlpnRouter {
  host: string;
  /**
   * The "443": `ssl_preread` reads the ClientHello. ALPN x-amzn-mqtt-ca goes straight to mosquitto (TLS ends
   * there, so no ALPN is echoed); no ALPN goes to the HTTPS server; any other ALPN goes to `terminatingPort`.
   */
  routerPort: number;
  /** nginx ends TLS itself with `ssl_alpn x-amzn-mqtt-ca` (echoed, as AWS does; alert 120 for anything else), then re-encrypts to mosquitto. */
  terminatingPort: number;
  /** An HTTPS server that answers anything, MQTT bytes included, with HTTP 400. */
  httpsPort: number;
  output: () => string;
}

/** Starts nginx in the foreground (`daemon off`, one process) with its config and logs in `dir`. */
export async function startNginxAlpnRouter(
  t: Teardown,
  dir: string,
  pki: BrokerPki,
  mqtt: { host: string; port: number },
  options: { host?: string } = {},
): Promise<NginxAlpnRouter> {
  const host = options.host ?? '127.0.0.1';
  return withFreshPorts(async () => {
    const [routerPort, terminatingPort, httpsPort] = [
      await freePort(host),
      await freePort(host),
      await freePort(host),
    ];
    const config = join(dir, 'nginx.conf');
    writeFileSync(
      config,
      `load_module ${NGINX_STREAM_MODULE};
daemon off;
master_process off;
user root;
pid ${join(dir, 'nginx.pid')};
error_log stderr notice;
events { worker_connections 256; }
stream {
  map $ssl_preread_alpn_protocols $mqttprobe_backend {
    "~(^|,)x-amzn-mqtt-ca(,|$)" ${mqtt.host}:${mqtt.port};
    "" ${host}:${httpsPort};
    default ${host}:${terminatingPort};
  }
  server {
    listen ${host}:${routerPort};
    ssl_preread on;
    proxy_pass $mqttprobe_backend;
  }
  server {
    listen ${host}:${terminatingPort} ssl;
    ssl_certificate ${pki.serverCert};
    ssl_certificate_key ${pki.serverKey};
    ssl_client_certificate ${pki.ca};
    ssl_verify_client on;
    ssl_alpn x-amzn-mqtt-ca;
    tcp_nodelay on;
    proxy_pass ${mqtt.host}:${mqtt.port};
    proxy_ssl on;
    proxy_ssl_certificate ${pki.relayCert};
    proxy_ssl_certificate_key ${pki.relayKey};
  }
}
http {
  access_log off;
  client_body_temp_path ${join(dir, 'nginx-body')};
  proxy_temp_path ${join(dir, 'nginx-proxy')};
  fastcgi_temp_path ${join(dir, 'nginx-fastcgi')};
  uwsgi_temp_path ${join(dir, 'nginx-uwsgi')};
  scgi_temp_path ${join(dir, 'nginx-scgi')};
  server {
    listen ${host}:${httpsPort} ssl;
    ssl_certificate ${pki.serverCert};
    ssl_certificate_key ${pki.serverKey};
    return 400;
  }
}
`,
    );
    // With `master_process off` nginx logs nothing once ready; `-t` would not prove the sockets are bound. The
    // notice "using the \"epoll\" event method" is printed after the listening sockets are opened.
    const daemon = await startDaemon(t, 'nginx', ['-p', dir, '-c', config], /epoll/);
    return { host, routerPort, terminatingPort, httpsPort, output: daemon.output };
  });
}
