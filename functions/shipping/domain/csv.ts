/** One parsed CSV record with the 1-based line it started on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside doubled, commas and line
 * breaks allowed inside), CRLF or LF line ends, a UTF-8 BOM ignored. Blank lines are skipped. Throws SyntaxError at
 * an unterminated quoted field.
 */
export const parseCsv = (text: string): CsvRecord[] => {
  const source = text.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) throw new SyntaxError(`unterminated quoted field starting on line ${recordLine}`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
};

const quote = (value: string): string => (/[",\r\n]/.test(value) || /^[=+\-@]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * Writes rows as CSV (CRLF line ends). Fields with commas, quotes or line breaks are quoted; so are fields starting
 * with = + - @, which spreadsheets would run as formulas (CSV injection).
 */
export const toCsv = (rows: ReadonlyArray<ReadonlyArray<string | number>>): string => rows.map((row) => row.map((value) => quote(String(value))).join(',')).join('\r\n') + '\r\n';
