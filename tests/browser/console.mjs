// kaohe serve in a real browser: Debian's chromium driven by puppeteer-core.
// Usage: node console.mjs URL OUTDIR — URL is the console's address (with
// ?token= when it needs one), OUTDIR receives a screenshot of each page.
// Fails (exit 1) on a console error, a Content-Security-Policy violation, a
// request to anywhere but the console, a page without its content, or a
// chart that does not render.
import puppeteer from "puppeteer-core";

const [base, outdir] = process.argv.slice(2);
const origin = new URL(base).origin;
const problems = [];

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`request to ${r.url()}`);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });

  const visit = async (path, name) => {
    const res = await page.goto(new URL(path, base).href, { waitUntil: "load" });
    if (res.status() !== 200) problems.push(`${path}: HTTP ${res.status()}`);
    await page.screenshot({ path: `${outdir}/${name}.png`, fullPage: true });
  };

  await visit(base, "dataset");
  const title = await page.$eval("h1", (h) => h.textContent);
  if (!title.includes("考评数据")) problems.push(`dataset page title: ${title}`);
  const styled = await page.$eval("header.top", (h) => getComputedStyle(h).backgroundColor);
  if (styled !== "rgb(183, 28, 28)") problems.push(`the stylesheet is not applied (header ${styled})`);

  // from the dataset page to July through the navigation, as a person would
  await Promise.all([page.waitForNavigation(), page.click('a[href="/month/2013-07"]')]);
  await page.screenshot({ path: `${outdir}/month.png`, fullPage: true });
  const rows = await page.$$eval("table.ranking tbody tr", (trs) => trs.length);
  if (rows !== 14) problems.push(`the ranking has ${rows} rows, expected 14`);
  const sparks = await page.$$eval("svg.spark", (svgs) =>
    svgs.map((s) => { const b = s.getBoundingClientRect(); return [b.width, b.height, s.querySelectorAll("circle").length]; }));
  if (sparks.length !== 14 || sparks.some(([w, h, dots]) => w < 100 || h < 20 || dots !== 7))
    problems.push(`sparklines: ${JSON.stringify(sparks)}`);

  await Promise.all([page.waitForNavigation(), page.click("table.ranking tbody tr:first-child a")]);
  const township = await page.$eval("h1", (h) => h.textContent);
  if (!township.includes("各月考评")) problems.push(`township page title: ${township}`);
  const chart = await page.$eval("svg.chart", (s) => s.getBoundingClientRect().width);
  if (chart < 300) problems.push(`the township's chart is ${chart}px wide`);
  await page.screenshot({ path: `${outdir}/township.png`, fullPage: true });

  await visit("/quarter/2013Q3", "quarter");
  // printed, the navigation and the sparklines are left out
  await page.emulateMediaType("print");
  const navShown = await page.$eval("header.top nav", (n) => getComputedStyle(n).display);
  if (navShown !== "none") problems.push("the navigation is printed");
  await page.pdf({ path: `${outdir}/quarter.pdf`, format: "A4" });
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("ok: dataset, month, township and quarter pages in chromium, no console error, no CSP violation, nothing fetched from elsewhere");
