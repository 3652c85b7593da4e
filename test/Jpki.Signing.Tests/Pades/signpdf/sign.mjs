// Signs a PDF with @signpdf (a third-party signer): node sign.mjs in.pdf out.pdf key.p12 passphrase
import { readFileSync, writeFileSync } from 'node:fs';
import signpdfModule from '@signpdf/signpdf';
const signpdf = signpdfModule.default ?? signpdfModule;
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';

const [input, output, p12, passphrase] = process.argv.slice(2);
const withPlaceholder = plainAddPlaceholder({
  pdfBuffer: readFileSync(input),
  reason: 'OpenJpki interop test',
  contactInfo: 'test@example.invalid',
  name: 'signpdf',
  location: 'Tokyo',
});
const signer = new P12Signer(readFileSync(p12), { passphrase });
const signed = await signpdf.sign(withPlaceholder, signer);
writeFileSync(output, signed);
