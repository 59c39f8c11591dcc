// Username and password for CONNECT, from the plan's auth; secrets are revealed here, at the point of use.
import type { Auth } from '../../scenario/plan.js';

export interface MqttCredentials {
  username?: string;
  password?: string;
}

/**
 * CONNECT credentials for an auth block. For an AWS IoT custom authorizer the authorizer name, token and
 * signature ride in the username's query string, URL-encoded (a base64 signature's `+`, `/`, `=` included), as
 * `USERNAME?x-amz-customauthorizer-name=NAME&TOKENKEY=TOKEN&x-amz-customauthorizer-signature=SIG`. Over WebSockets
 * the same username is sent (the upgrade also carries them as headers): AWS reads either.
 * https://docs.aws.amazon.com/iot/latest/developerguide/custom-auth.html#custom-auth-mqtt
 */
export function mqttCredentials(auth: Auth): MqttCredentials {
  switch (auth.type) {
    case 'password':
      return withPassword({ username: auth.username }, auth.password?.reveal());
    case 'custom-authorizer': {
      const query = new URLSearchParams({ 'x-amz-customauthorizer-name': auth.authorizer });
      const token = auth.token?.reveal();
      if (token !== undefined) query.set(auth.tokenKeyName ?? 'token', token);
      const signature = auth.signature?.reveal();
      if (signature !== undefined) query.set('x-amz-customauthorizer-signature', signature);
      // A username that already has a query (`user?x=1`) gets ours appended, not a second `?`.
      const username = auth.username ?? '';
      const separator = username.includes('?') ? '&' : '?';
      return withPassword(
        { username: `${username}${separator}${query.toString()}` },
        auth.password?.reveal(),
      );
    }
    default:
      // x509 authenticates in TLS; none and sigv4 send no CONNECT credentials.
      return {};
  }
}

function withPassword(credentials: MqttCredentials, password: string | undefined): MqttCredentials {
  return password === undefined ? credentials : { ...credentials, password };
}
