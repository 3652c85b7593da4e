// Jpki.Verification: the relying-party library. See docs/verification.md.
[assembly: System.CLSCompliant(false)]
