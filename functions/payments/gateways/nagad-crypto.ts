import { constants, createPrivateKey, createPublicKey, type KeyObject, privateDecrypt, publicEncrypt, sign, timingSafeEqual, verify } from 'node:crypto';

/**
 * Nagad's message crypto (providers/payments.md §2.3): RSA PKCS#1 v1.5 encryption of a JSON string to the other
 * side's public key, and SHA256withRSA (PKCS#1 v1.5) signatures over the same string, all base64. node:crypto only.
 */

const PEM_ARMOR = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// PKCS#1 v1.5 encryption padding: 0x00 0x02, at least 8 non-zero random bytes, 0x00, then the message.
const PKCS1_OVERHEAD = 11;

/**
 * The DER bytes of a key given as PEM (any label) or as bare base64 DER, as Nagad hands keys out.
 * The label is ignored on purpose: Nagad's sample wraps a PKCS#8 key as `BEGIN RSA PRIVATE KEY` (a PKCS#1 label),
 * which lenient OpenSSL builds accept and strict parsers refuse; the structure is recognised from the DER instead.
 */
const derOf = (text: string): Buffer => {
  const armored = PEM_ARMOR.exec(text);
  const body = (armored ? armored[2] : text).replace(/\s+/g, '');
  if (body.includes(':')) throw new TypeError('encrypted PEM keys are not supported');
  if (!BASE64.test(body)) throw new TypeError('a key must be PEM or base64 DER');
  return Buffer.from(body, 'base64');
};

/** The first of `parsers` that accepts the DER; it must give an RSA key. */
const firstThatParses = (parsers: readonly (() => KeyObject)[], what: string): KeyObject => {
  for (const parse of parsers) {
    let key: KeyObject;
    try {
      key = parse();
    } catch {
      continue;
    }
    if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`${what} must be an RSA key, got ${key.asymmetricKeyType}`);
    return key;
  }
  throw new TypeError(`${what} is neither PKCS#8 nor PKCS#1 RSA DER`);
};

/** An RSA private key from PEM (PKCS#8 or PKCS#1, whatever its label says) or base64 DER. Throws TypeError otherwise. */
export const privateKeyFrom = (text: string): KeyObject => {
  const der = derOf(text);
  return firstThatParses(
    [() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })],
    'private key',
  );
};

/** An RSA public key from PEM (SubjectPublicKeyInfo or PKCS#1, whatever its label says) or base64 DER. Throws TypeError otherwise. */
export const publicKeyFrom = (text: string): KeyObject => {
  const der = derOf(text);
  return firstThatParses(
    [() => createPublicKey({ key: der, format: 'der', type: 'spki' }), () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' })],
    'public key',
  );
};

/** Wraps base64 DER into PEM with `label`, 64 characters a line. */
export const toPem = (base64Der: string, label: string): string =>
  `-----BEGIN ${label}-----\n${(base64Der.replace(/\s+/g, '').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;

const modulusBytes = (key: KeyObject): number => {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new TypeError('not an RSA key');
  return Math.ceil(bits / 8);
};

/** Largest plaintext one RSA PKCS#1 v1.5 block takes: 245 bytes for a 2048-bit key. */
export const maxPlaintextBytes = (key: KeyObject): number => modulusBytes(key) - PKCS1_OVERHEAD;

/**
 * base64( RSA-encrypt(utf-8 `plaintext`, `publicKey`, PKCS#1 v1.5) ), one block as Nagad's sample does.
 * Throws RangeError when the plaintext exceeds maxPlaintextBytes.
 */
export const encryptWithPublicKey = (plaintext: string, publicKey: KeyObject): string => {
  const bytes = Buffer.from(plaintext, 'utf8');
  const max = maxPlaintextBytes(publicKey);
  if (bytes.length > max) throw new RangeError(`plaintext of ${bytes.length} bytes exceeds the ${max} one RSA block takes`);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, bytes).toString('base64');
};

/**
 * Removes PKCS#1 v1.5 encryption padding from a raw RSA block. It reads every byte whatever it finds, so its time does
 * not depend on where the padding goes wrong, and it reports one error for every malformed block.
 */
const unpadPkcs1Type2 = (block: Buffer): Buffer => {
  let separator = 0;
  for (let index = 2; index < block.length; index += 1) {
    const isFirstZero = Number(block[index] === 0) & Number(separator === 0);
    separator |= index * isFirstZero;
  }
  const header = Buffer.from([block[0], block[1]]);
  const valid = Number(timingSafeEqual(header, Buffer.from([0x00, 0x02]))) & Number(separator >= 2 + 8);
  if (!valid) throw new TypeError('RSA decryption failed');
  return block.subarray(separator + 1);
};

/**
 * utf-8 plaintext of base64 `ciphertext` (RSA PKCS#1 v1.5, one block) with `privateKey`. Throws TypeError when it
 * does not decrypt.
 *
 * Node refuses PKCS#1 v1.5 padding in privateDecrypt since the Marvin fix (CVE-2023-46809) unless the process runs
 * with --security-revert, which Lambda cannot set. So the block is decrypted raw and unpadded here. The risk the fix
 * guards against is a padding oracle: a party that can submit chosen ciphertexts and tell failures apart by timing.
 * The adapter only decrypts Nagad's answers and the simulator only its local merchant's requests, every failure
 * gives the same error, and the unpadding above does not branch on where the padding broke.
 */
export const decryptWithPrivateKey = (ciphertext: string, privateKey: KeyObject): string => {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (!BASE64.test(ciphertext) || bytes.length !== modulusBytes(privateKey)) throw new TypeError('RSA decryption failed');
  let block: Buffer;
  try {
    block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, bytes);
  } catch (cause) {
    throw new TypeError('RSA decryption failed', { cause });
  }
  return unpadPkcs1Type2(block).toString('utf8');
};

/** base64 SHA256withRSA (PKCS#1 v1.5) signature of the utf-8 bytes of `plaintext`. */
export const signWithPrivateKey = (plaintext: string, privateKey: KeyObject): string =>
  sign('sha256', Buffer.from(plaintext, 'utf8'), privateKey).toString('base64');

/** Whether base64 `signature` is a SHA256withRSA signature of `plaintext` by the holder of `publicKey`. */
export const verifySignature = (plaintext: string, signature: string, publicKey: KeyObject): boolean =>
  BASE64.test(signature) && verify('sha256', Buffer.from(plaintext, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
