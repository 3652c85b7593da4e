// The outside XAdES implementation of OpenJpki's tests: xadesjs (PeculiarVentures) on @peculiar/webcrypto.
//   node xades.mjs verify signed.xml                     -> prints "valid" (exit 0) or "invalid: …" (exit 1)
//   node xades.mjs sign in.xml out.xml key.pem cert.pem  -> an enveloped XAdES-BES (RSA-SHA256, exclusive C14N)
import { readFileSync, writeFileSync } from 'node:fs';
import { Crypto } from '@peculiar/webcrypto';
import * as xmldom from '@xmldom/xmldom';
import xpath from 'xpath';
import * as xadesjs from 'xadesjs';

const crypto = new Crypto();
xadesjs.Application.setEngine('NodeJS', crypto);
xadesjs.setNodeDependencies({ XMLSerializer: xmldom.XMLSerializer, DOMParser: xmldom.DOMParser, DOMImplementation: xmldom.DOMImplementation, xpath });

const pemBody = (pem) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const [command, ...args] = process.argv.slice(2);

if (command === 'verify') {
  const doc = xadesjs.Parse(readFileSync(args[0], 'utf8'));
  const signatures = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature');
  if (signatures.length === 0) {
    console.log('invalid: no ds:Signature');
    process.exit(1);
  }
  try {
    const signed = new xadesjs.SignedXml(doc);
    signed.LoadXml(signatures[0]);
    const valid = await signed.Verify();
    console.log(valid ? 'valid' : 'invalid: the signature does not verify');
    process.exit(valid ? 0 : 1);
  } catch (e) {
    console.log('invalid: ' + e.message);
    process.exit(1);
  }
} else if (command === 'sign') {
  const [input, output, keyFile, certFile] = args;
  const key = await crypto.subtle.importKey('pkcs8', pemBody(readFileSync(keyFile, 'utf8')), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const certificate = pemBody(readFileSync(certFile, 'utf8')).toString('base64');
  const doc = xadesjs.Parse(readFileSync(input, 'utf8'));
  const signed = new xadesjs.SignedXml();
  const signature = await signed.Sign({ name: 'RSASSA-PKCS1-v1_5' }, key, doc, {
    x509: [certificate],
    signingCertificate: certificate,
    signingTime: { value: new Date() },
    references: [{ uri: '', hash: 'SHA-256', transforms: ['enveloped', 'exc-c14n'] }],
  });
  doc.documentElement.appendChild(signature.GetXml());
  writeFileSync(output, new xmldom.XMLSerializer().serializeToString(doc));
} else {
  console.error('usage: node xades.mjs verify FILE | sign IN OUT KEY.pem CERT.pem');
  process.exit(2);
}
