#!/usr/bin/env python3
"""A one-page PDF 1.4 with a classic xref table, for the signed-document benchmarks (bench/scripts/signed-documents.sh).

    make-pdf.py OUT.pdf [SIZE_MB]

SIZE_MB > 0 adds an uncompressed image XObject of about that many MiB of pseudo-random bytes (drawn on the page), so the
file is as large as a scanned application without a PDF library; the bytes are written in 1 MiB blocks.
"""
import os
import sys

out = sys.argv[1]
size = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 0
side = 1
while side * side * 3 < size:
    side *= 2
# width x height x 3 bytes (RGB); height is trimmed so the stream is close to SIZE_MB.
width = side
height = max(1, size // (width * 3)) if size else 0

with open(out, "wb") as f:
    offsets = []

    def obj(body: bytes) -> None:
        offsets.append(f.tell())
        f.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

    f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    obj(b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    resources = b"/Resources << /Font << /F1 5 0 R >> " + (b"/XObject << /Im1 6 0 R >> " if size else b"") + b">>"
    obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + resources + b" /Contents 4 0 R >>")
    content = b"BT /F1 24 Tf 72 760 Td (OpenJpki benchmark application) Tj ET\n" + (b"q 451 0 0 600 72 100 cm /Im1 Do Q\n" if size else b"")
    obj(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    obj(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if size:
        length = width * height * 3
        offsets.append(f.tell())
        f.write(b"6 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d >>\nstream\n" % (width, height, length))
        left = length
        while left > 0:
            block = os.urandom(min(left, 1 << 20))
            f.write(block)
            left -= len(block)
        f.write(b"\nendstream\nendobj\n")
    xref = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for o in offsets:
        f.write(b"%010d 00000 n \n" % o)
    f.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
