// Writes a monthly CSV as an .xlsx through exceljs, typed as a user's sheet
// is: the header and the township column as text, every other non-empty
// cell as a number. Used by scripts/make-workbook-fixtures.sh.
//
//   node write.js IN.csv OUT.xlsx
'use strict';
const fs = require('fs');
const ExcelJS = require('exceljs');

// The cells of one CSV line ("61,846" in quotes is one cell).
function cells(line) {
  const out = [];
  let cell = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') cell += c, i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) out.push(cell), cell = '';
    else cell += c;
  }
  out.push(cell);
  return out;
}

async function main(src, dst) {
  const text = fs.readFileSync(src, 'utf8').replace(/^\uFEFF/, '');
  const wb = new ExcelJS.Workbook();
  // Fixed dates keep the fixture the same from one run to the next.
  wb.created = wb.modified = new Date(Date.UTC(2013, 0, 1));
  const ws = wb.addWorksheet('Sheet1');
  text.split(/\r?\n/).filter((line) => line !== '').forEach((line, i) => {
    ws.addRow(cells(line).map((cell, j) => {
      if (cell === '') return null;
      return i === 0 || j === 0 ? cell : Number(cell.replace(/,/g, ''));
    }));
  });
  await wb.xlsx.writeFile(dst);
}

main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(e);
  process.exit(1);
});
