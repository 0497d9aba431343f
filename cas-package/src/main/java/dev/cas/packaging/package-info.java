/**
 * The portable plugin package of {@code spec/FORMAT.md}: {@link dev.cas.packaging.PackageReader}
 * reads one safely, {@link dev.cas.packaging.PackageWriter} writes one deterministically, {@link
 * dev.cas.packaging.ManifestParser} validates {@code plugin.json}, {@link
 * dev.cas.packaging.ChecksumFile} and {@link dev.cas.packaging.SignatureVerifier} protect its
 * integrity, and {@link dev.cas.packaging.CompatibilityChecker} matches it to a host. Every refusal
 * is a {@link dev.cas.packaging.PackageException} with a reason.
 */
package dev.cas.packaging;
