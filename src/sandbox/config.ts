/**
 * Fixed credentials of the local sandbox: the fake WeCom issues tokens for this corp and app, and the sandbox
 * page signs callbacks with these tokens and keys exactly as WeCom would. They protect nothing real.
 */
export const SANDBOX_APP = {
  corpId: 'wwsandbox0000001',
  agentId: '1000002',
  secret: 'sandbox-app-secret',
  token: 'sandboxAppToken',
  aesKey: 'emh1Y3VuIHNhbmRib3ggYXBwIGtleSAwMTIzNDU2Nzg',
};

export const SANDBOX_ROBOT = {
  token: 'sandboxBotToken',
  aesKey: 'emh1Y3VuIHNhbmRib3ggYm90IGtleSAwMTIzNDU2Nzg',
};

/** The sandbox answers WeCom's OAuth authorize step itself, for the person chosen on the sandbox page. */
export function sandboxAuthorizeBase(publicUrl: string): string {
  return `${publicUrl}/sandbox`;
}
