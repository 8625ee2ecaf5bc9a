/** Masking of personal data, free of any logging dependency so domain code can use it too. */

const MASK = '•';
const EMAIL = /^([^@\s])[^@\s]*@([^@\s]+)$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

/**
 * Masks one piece of personal data for logs and audit records:
 * `+8801712345678` → `+88017•••••678`, `rahim@example.com` → `r•••@example.com`, any other text keeps its
 * first character (`Rahim Uddin` → `R•••`). The output never reveals the input's length for free text.
 */
export const maskPii = (value: string): string => {
  const email = EMAIL.exec(value);
  if (email) return `${email[1]}${MASK.repeat(3)}@${email[2]}`;
  if (PHONE.test(value)) {
    const compact = value.replace(/[\s().-]/g, '');
    const head = Math.min(6, Math.floor(compact.length / 2) - 1);
    const tail = 3;
    return compact.slice(0, head) + MASK.repeat(compact.length - head - tail) + compact.slice(-tail);
  }
  return value.length === 0 ? '' : `${value[0]}${MASK.repeat(3)}`;
};
