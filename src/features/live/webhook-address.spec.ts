import { addressProblem, checkWebhookUrl } from './webhook-address';

/** Every way of writing an address that is not public must be refused; public ones pass. */
describe('webhook addresses', () => {
  const refusedUrls = [
    'http://[::127.0.0.1]/', // IPv4-compatible, normalised by the URL parser to [::7f00:1]
    'http://[::7f00:1]/',
    'http://[::ffff:127.0.0.1]/', // IPv4-mapped
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::FFFF:A00:1]/', // mapped 10.0.0.1, upper case
    'http://[::ffff:0:a9fe:a9fe]/', // SIIT (RFC 6145), 169.254.169.254
    'http://[64:ff9b::7f00:1]/', // NAT64 to 127.0.0.1
    'http://[64:ff9b::c0a8:1]/', // NAT64 to 192.168.0.1
    'http://[64:ff9b:1::808:808]/', // NAT64 local-use network
    'http://[2002:7f00:1::1]/', // 6to4 of 127.0.0.1
    'http://[2002:a9fe:a9fe::]/', // 6to4 of 169.254.169.254
    'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', // Teredo, client 127.0.0.1
    'http://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/', // Teredo, server 10.0.0.1
    'http://[fe80::1]/', // link-local
    'http://[fd00::1]/', // unique-local
    'http://[fc00::1]/',
    'http://[fec0::1]/', // site-local (deprecated)
    'http://[::1]/',
    'http://[::]/',
    'http://[0::0:1]/', // zero-compressed loopback
    'http://[ff02::1]/', // multicast
    'http://2130706433/', // decimal 127.0.0.1
    'http://0177.0.0.1/', // octal
    'http://0x7f.1/', // hex, short form
    'http://0x7f000001/',
    'http://127.1/',
    'http://10.1.2.3/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/', // carrier-grade NAT
    'http://0.0.0.0/',
    'http://localhost:8080/',
  ];

  it.each(refusedUrls)('refuses %s', async (url) => {
    expect(await checkWebhookUrl(url, false)).toMatch(/not allowed|not a URL/);
  });

  it.each([
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook', // public IPv6
    'https://[::ffff:8.8.8.8]/hook', // mapped public IPv4
    'https://[64:ff9b::808:808]/hook', // NAT64 of a public address
    'https://[2002:808:808::1]/hook', // 6to4 of a public address
  ])('accepts %s', async (url) => {
    expect(await checkWebhookUrl(url, false)).toBeUndefined();
  });

  it('checks addresses as DNS returns them: zone ids, brackets', () => {
    expect(addressProblem('fe80::1%eth0')).toMatch(/zone id/);
    expect(addressProblem('[::127.0.0.1]')).toMatch(/loopback/);
    expect(addressProblem('[2606:4700:4700::1111]')).toBeUndefined();
    expect(addressProblem('not-an-address')).toMatch(/not an IP address/);
  });

  it('a zone id in a URL is no URL at all (WHATWG), and private targets may be allowed by configuration', async () => {
    expect(await checkWebhookUrl('http://[fe80::1%25eth0]/', false)).toMatch(/not a URL/);
    expect(await checkWebhookUrl('http://[::127.0.0.1]/', true)).toBeUndefined();
    expect(await checkWebhookUrl('ftp://8.8.8.8/', false)).toMatch(/http or https/);
  });
});
