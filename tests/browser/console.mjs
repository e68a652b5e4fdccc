// kaohe serve in a real browser: Debian's chromium driven by puppeteer-core.
// Usage: node console.mjs URL OUTDIR DOWNLOADS SCORES — URL is the console's
// address (with ?token= when it needs one), OUTDIR receives a screenshot of
// every page, DOWNLOADS the notice downloaded by clicking its link after
// making the month with the page's button (the caller compares its bytes),
// SCORES is `kaohe score --month 2013-07 --format json`, which July's
// ranking as the browser shows it must equal.
// Fails (exit 1) on a console error, a Content-Security-Policy violation, a
// request to anywhere but the console, a page without its content, or a
// chart that does not render.
import fs from "node:fs";
import puppeteer from "puppeteer-core";

const [base, outdir, downloads, scoresPath] = process.argv.slice(2);
const scores = JSON.parse(fs.readFileSync(scoresPath, "utf8"));
const origin = new URL(base).origin;
const problems = [];

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  let refusalsExpected = false; // while asking what must be refused, its errors are the point
  page.on("console", (m) => {
    if (m.type() === "error" && !(refusalsExpected && m.text().startsWith("Failed to load resource")))
      problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // chromium's own PDF viewer (the notice's preview) loads chrome:// and
  // chrome-extension:// parts: inside the browser, not from the network
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !/^(data|chrome|chrome-extension|blob):/.test(u)) problems.push(`request to ${u}`);
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

  // the ranking as a person reads it: rank, name and total of each row
  const shown = await page.$$eval("table.ranking tbody tr", (trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll("td")];
    return [Number(cells[0].textContent), cells[1].textContent.trim(), Number(tr.querySelector("td.total").textContent)];
  }));
  const expected = [...scores.townships].sort((a, b) => a.rank - b.rank).map((t) => [t.rank, t.name, t.total]);
  if (JSON.stringify(shown) !== JSON.stringify(expected))
    problems.push(`July's ranking differs from kaohe score's:\n${JSON.stringify(shown)}\n${JSON.stringify(expected)}`);

  // every page the navigation and the rankings lead to, each saved as a screenshot
  const links = await page.$$eval('header.top nav a, table.ranking a[href^="/township/"]', (as) =>
    [...new Set(as.map((a) => a.getAttribute("href")))]);
  if (links.length !== 9 + 3 + 14) problems.push(`${links.length} pages linked: ${links}`);
  for (const href of links) {
    await visit(href, href.slice(1).replace("/", "-"));
    if (!(await page.$("main h1"))) problems.push(`${href} has no heading`);
  }
  await visit("/month/2013-07", "month-again");

  await Promise.all([page.waitForNavigation(), page.click("table.ranking tbody tr:first-child a")]);
  const township = await page.$eval("h1", (h) => h.textContent);
  if (!township.includes("各月考评")) problems.push(`township page title: ${township}`);
  const chart = await page.$eval("svg.chart", (s) => s.getBoundingClientRect().width);
  if (chart < 300) problems.push(`the township's chart is ${chart}px wide`);
  await page.screenshot({ path: `${outdir}/township.png`, fullPage: true });

  // making the month with the page's form, then downloading the notice by its link
  await visit("/month/2013-07", "month-before");
  await page.$eval('input[name="date"]', (i) => { i.value = "2013-08-05"; });
  await Promise.all([page.waitForNavigation(), page.click("form.make button")]);
  const made = await page.$eval("h1", (h) => h.textContent);
  if (!made.includes("已生成")) problems.push(`after making the month: ${made}`);
  await page.screenshot({ path: `${outdir}/made.png`, fullPage: true });
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
  await page.click('a[href="/month/2013-07/doc/notice"]');
  const saved = `${downloads}/督查通报_2013-07.pdf`;
  for (let i = 0; i < 300 && !fs.existsSync(saved); i++) await new Promise((r) => setTimeout(r, 100));
  if (!fs.existsSync(saved)) problems.push(`the notice was not downloaded: ${fs.readdirSync(downloads)}`);

  // the month's page now shows the documents and previews the notice in a frame
  await visit("/month/2013-07", "month-documents");
  const preview = await page.$eval("iframe.preview", (f) => f.getAttribute("src"));
  await new Promise((r) => setTimeout(r, 1500)); // the PDF viewer draws the first page
  await page.screenshot({ path: `${outdir}/month-documents.png`, fullPage: true });
  if (preview !== "/month/2013-07/doc/notice-preview") problems.push(`preview frame: ${preview}`);

  // a POST from a script without the page's token, and a path out of the console
  refusalsExpected = true;
  const forged = await page.evaluate(async () =>
    (await fetch("/month/2013-07/make", { method: "POST", body: new URLSearchParams({ date: "2013-08-06" }) })).status);
  if (forged !== 403) problems.push(`a POST without the token answered ${forged}`);
  const out = await page.goto(new URL("/month/2013-07/doc/..%2F..%2Frules.ini", base).href);
  if (out.status() !== 404) problems.push(`a path out of the console answered ${out.status()}`);
  if ((await page.content()).includes("[scoring]")) problems.push("rules.ini was served");
  refusalsExpected = false;

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
console.log("ok: the month made with the page's button, its notice downloaded by its link and previewed; a forged POST and a path out refused");
