// Real documents made in the test, in each format a knowledge collection takes.
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Two pages: a heading line, a paragraph and a price table on page 1; delivery terms on page 2. */
export async function bakeryPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const one = doc.addPage([600, 800]);
  one.drawText('Padaria Aurora - Price list', { x: 50, y: 750, size: 18, font });
  one.drawText('Our breads are baked every morning at 5 am.', { x: 50, y: 720, size: 12, font });
  const rows = [
    ['Item', 'Price', 'Unit'],
    ['French roll', 'R$ 1,00', 'each'],
    ['Cheese bread', 'R$ 6,00', '100 g'],
    ['Carrot cake', 'R$ 38,00', 'whole'],
  ];
  rows.forEach((row, i) => row.forEach((cell, j) => one.drawText(cell, { x: 50 + j * 180, y: 680 - i * 20, size: 12, font })));
  const two = doc.addPage([600, 800]);
  two.drawText('Delivery', { x: 50, y: 750, size: 18, font });
  two.drawText('We deliver within 5 km of the shop, every day until 8 pm. The fee is R$ 7,00.', { x: 50, y: 720, size: 12, font });
  return doc.save();
}

export async function faqDocx(): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Frequently asked questions', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Orders', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ children: [new TextRun('Birthday cakes are ordered at least 48 hours ahead.')] }),
          new Paragraph({ text: 'Allergies', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ children: [new TextRun('Our gluten-free bread is baked on Tuesdays in a separate oven.')] }),
          new Table({
            rows: [
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Product')] }), new TableCell({ children: [new Paragraph('Contains')] })] }),
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Brownie')] }), new TableCell({ children: [new Paragraph('nuts, milk, eggs')] })] }),
            ],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export async function hoursXlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Opening hours');
  sheet.addRow(['Day', 'Opens', 'Closes']);
  sheet.addRow(['Monday to Friday', '6:00', '20:00']);
  sheet.addRow(['Saturday', '7:00', '18:00']);
  sheet.addRow(['Sunday', '7:00', '12:00']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
