// The guide's screenshots of the console (docs/images/console-*.png),
// renewed by hand after the pages change:
//   cp -r samples/county-2013 /tmp/ds && rm -f /tmp/ds/发文登记.csv && cd /tmp
//   SOURCE_DATE_EPOCH=1375660800 kaohe serve ds --port 8392 &
//   node tests/browser/guide_shots.mjs http://127.0.0.1:8392/ docs/images
// The month's page as it opens, and the page after making the month (cut
// above the notice's preview, which headless chromium draws blank).
import puppeteer from "puppeteer-core";

const [base, outdir] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: "/usr/bin/chromium", headless: true,
  args: ["--lang=zh-CN", "--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 760 });
  await page.goto(new URL("/month/2013-07", base).href, { waitUntil: "load" });
  await page.screenshot({ path: `${outdir}/console-month.png` });
  await page.$eval('input[name="date"]', (i) => { i.value = "2013-08-05"; });
  await Promise.all([page.waitForNavigation(), page.click("form.make button")]);
  await page.setViewport({ width: 1100, height: 300 });
  await page.screenshot({ path: `${outdir}/console-made.png` });
} finally {
  await browser.close();
}
