package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmroute.agi.FakeAsterisk;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.ConfigResult;
import io.crmroute.testing.Await;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.remote.CapabilityType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as an admin uses it: a real headless Chromium (Debian's, through its chromedriver, both by
 * path so nothing is downloaded) against a real crmroute started in this JVM ({@link CrmrouteServer},
 * real FastAGI and HTTP ports on 127.0.0.1), calls placed by the fake Asterisk over TCP. Controls are
 * found by their labels and accessible names. Each test leaves a screenshot in
 * {@code target/console-screenshots/} and fails on any browser console error but the 400, 401 and 412
 * answers the tests provoke on purpose. Subclasses run it without a database and with PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleBrowserTest {

    static final String TOKEN = "browser-test-token-9c2e";
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    /** Generous: the suite runs beside other builds on 2 cores. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Path dir;
    CrmrouteServer server;
    private WebDriver browser;
    private final List<WebDriver> others = new ArrayList<>();
    private String base;

    /** "local" or "postgres": names the screenshots. */
    abstract String kind();

    /** YAML added to the config (a database: section, or nothing). */
    abstract String databaseYaml();

    /** Environment for the config's ${...}. */
    abstract Map<String, String> environment();

    @BeforeAll
    void start() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
                "the console's browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver");
        dir = Files.createTempDirectory("crmroute-console-" + kind());
        Files.writeString(dir.resolve("crm.json"), """
                {"contacts": [
                  {"phone": "+15551230001", "name": "Alice", "status": "GOLD"},
                  {"phone": "+15551230002", "name": "HOSTILE", "status": "SILVER"},
                  {"phone": "+15551230003", "name": "Carol", "status": "BRONZE"}
                ]}""".replace("HOSTILE", HOSTILE));
        Files.writeString(dir.resolve("crmroute.yaml"), """
                server:
                  agi: { host: 127.0.0.1, port: 0, allow: [127.0.0.1/32] }
                  http: { host: 127.0.0.1, port: 0 }
                crms:
                  demo: { type: file, path: crm.json, phone: { default-country: US } }
                admin: { token: TOKEN }
                routes:
                  vip:
                    crm: demo
                    object: contacts
                    retrieve: [name, status]
                    field: status
                    rules: [ { name: gold, op: "=", value: GOLD, to: { queue: "103" } } ]
                    default: { to: { extension: "100" } }
                  team: { crm: demo, object: contacts, field: status, default: { to: { queue: "104" } } }
                  shared: { crm: demo, object: contacts, field: status, default: { to: { queue: "105" } } }
                  doomed: { crm: demo, object: contacts, field: status, default: { to: { queue: "106" } } }
                  hostile: { crm: demo, object: contacts, field: name, default: { to: { queue: "107" } } }
                """.replace("TOKEN", TOKEN) + databaseYaml());
        ConfigResult config = ConfigLoader.load(dir.resolve("crmroute.yaml"), environment());
        assertEquals(List.of(), config.problems());
        server = CrmrouteServer.start(config.config().orElseThrow());
        base = "http://127.0.0.1:" + server.httpPort();
        Await.until("the config's routes in the store", Duration.ofSeconds(30), () -> statusOf("/api/routes/hostile") == 200);
        Files.createDirectories(SCREENSHOTS);
        browser = chromium();
    }

    @AfterAll
    void stop() throws Exception {
        others.forEach(WebDriver::quit);
        if (browser != null) browser.quit();
        if (server != null) server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @BeforeEach
    void freshPage() {
        browser.manage().window().setSize(new Dimension(1280, 720));
        browser.get(base + "/#/routes");
        signIn(browser);
        browser.navigate().refresh();
        waitFor(browser, By.id("routes-body"));
    }

    @AfterEach
    void screenshotAndConsole(TestInfo test) throws Exception {
        String name = kind() + "-" + test.getTestMethod().orElseThrow().getName() + ".png";
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        List<String> errors = new ArrayList<>();
        for (WebDriver driver : allBrowsers()) {
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                boolean provoked = entry.getMessage().matches(".*status of (400|401|412) .*");
                if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() && !provoked) errors.add(entry.getMessage());
            }
        }
        assertEquals(List.of(), errors, "browser console errors");
        // Leaves no unsaved draft behind, so the next test's navigation is not held by the warning.
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    private List<WebDriver> allBrowsers() {
        List<WebDriver> all = new ArrayList<>(others);
        all.add(browser);
        return all;
    }

    /** A new headless Chromium with its own profile under this test's folder (deleted at the end). */
    WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,720",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setCapability(CapabilityType.UNHANDLED_PROMPT_BEHAVIOUR, UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingPort(freePort()).build();
        return new ChromeDriver(service, options);
    }

    // --- helpers: an admin's view of the page ------------------------------------------------------

    private void signIn(WebDriver driver) {
        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('crmroute.token', arguments[0])", TOKEN);
    }

    static WebElement waitFor(WebDriver driver, By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    static void waitUntil(WebDriver driver, String what, java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, WAIT).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
    }

    /** The control whose label says {@code label}. */
    static WebElement field(WebDriver driver, String label) {
        WebElement labelled = waitFor(driver, By.xpath("//label[normalize-space()=\"" + label + "\"]"));
        return driver.findElement(By.id(labelled.getAttribute("for")));
    }

    static void type(WebDriver driver, String label, String text) {
        WebElement input = field(driver, label);
        input.clear();
        input.sendKeys(text);
    }

    static WebElement button(WebDriver driver, String name) {
        return waitFor(driver, By.xpath("//button[normalize-space()=\"" + name + "\" or @aria-label=\"" + name + "\"]"));
    }

    static WebElement link(WebDriver driver, String name) {
        return waitFor(driver, By.xpath("//a[normalize-space()=\"" + name + "\" or @aria-label=\"" + name + "\"]"));
    }

    private void go(WebDriver driver, String hash) {
        driver.get(base + "/" + hash);
    }

    private List<String> routeNamesShown() {
        return browser.findElements(By.cssSelector("#routes-body tr")).stream().filter(WebElement::isDisplayed)
                .map(row -> row.getAttribute("data-route")).toList();
    }

    HttpResponse<String> api(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int statusOf(String path) {
        try {
            return api("GET", path).statusCode();
        } catch (Exception notYet) {
            return -1;
        }
    }

    Map<String, String> call(String route, String callerId) throws Exception {
        return Calls.call(server.agiPort(), route, callerId, FakeAsterisk.Responder.asterisk()).variables();
    }

    private boolean alertOpen(WebDriver driver) {
        try {
            driver.switchTo().alert();
            return true;
        } catch (org.openqa.selenium.NoAlertPresentException none) {
            return false;
        }
    }

    // --- the acceptance list ------------------------------------------------------------------------

    @Test
    void signInRefusesAWrongTokenAndTakesTheAdminToken() throws Exception {
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        type(browser, "Admin token", "not-the-token");
        button(browser, "Sign in").click();
        assertEquals("That token is not the admin token.", waitFor(browser, By.id("signin-error")).getText());
        assertTrue(browser.findElement(By.id("routes-screen")).getAttribute("hidden") != null);

        type(browser, "Admin token", TOKEN);
        button(browser, "Sign in").click();

        assertEquals("Routes", waitFor(browser, By.id("routes-title")).getText());
        waitUntil(browser, "the routes listed", driver -> routeNamesShown().contains("vip"));
        if (kind().equals("local")) {
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve("console-routes.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void searchFiltersTheRoutesAsYouType() {
        waitUntil(browser, "the routes listed", driver -> routeNamesShown().size() >= 5);
        type(browser, "Search routes", "104");
        waitUntil(browser, "only team, by its default destination", driver -> routeNamesShown().equals(List.of("team")));
        type(browser, "Search routes", "VI");
        waitUntil(browser, "only vip, by its name", driver -> routeNamesShown().equals(List.of("vip")));
        field(browser, "Search routes").clear();
        field(browser, "Search routes").sendKeys("contacts");
        waitUntil(browser, "every route, by their object", driver -> routeNamesShown().size() >= 5);
    }

    @Test
    void aNewRouteWithThreeReorderedRulesRoutesTheNextRealCallAndIsListedInDecisions() throws Exception {
        link(browser, "New route").click();
        type(browser, "Route name", "made-" + kind());
        new Select(field(browser, "CRM")).selectByVisibleText("demo (file)");
        type(browser, "Object", "contacts");
        type(browser, "Fields to retrieve", "name");
        type(browser, "Compared field", "status");
        String[][] rules = {{"gold", "GOLD", "111"}, {"silver", "SILVER", "222"}, {"bronze", "BRONZE", "333"}};
        for (int i = 0; i < rules.length; i++) {
            button(browser, "Add rule").click();
            int n = i + 1;
            type(browser, "Rule " + n + " name", rules[i][0]);
            type(browser, "Rule " + n + " value", rules[i][1]);
            type(browser, "Rule " + n + " number or name", rules[i][2]);
        }
        type(browser, "Default (a record, no rule holds): number or name", "100");
        button(browser, "Move rule 3 up").click();
        button(browser, "Move rule 2 up").click();
        assertEquals(List.of("bronze", "gold", "silver"), List.of(field(browser, "Rule 1 name").getAttribute("value"),
                field(browser, "Rule 2 name").getAttribute("value"), field(browser, "Rule 3 name").getAttribute("value")));

        link(browser, "Decisions").click();   // not saved yet: the console asks first
        assertTrue(waitFor(browser, By.id("confirm-text")).getText().contains("changes that are not saved"));
        button(browser, "Cancel").click();
        assertEquals("made-" + kind(), field(browser, "Route name").getAttribute("value"));

        button(browser, "Save route").click();
        assertEquals("Saved route made-" + kind() + ". The next call uses it.", waitFor(browser, By.id("editor-status")).getText());

        JsonNode saved = JSON.readTree(api("GET", "/api/routes/made-" + kind()).body());
        assertEquals(List.of("bronze", "gold", "silver"), saved.get("rules").findValuesAsText("name"));
        Map<String, String> gold = call("made-" + kind(), "15551230001");
        assertEquals("111", gold.get("CRMROUTE_DEST"));
        assertEquals("gold", gold.get("CRMROUTE_RULE"));
        assertEquals("333", call("made-" + kind(), "15551230003").get("CRMROUTE_DEST"));

        link(browser, "Decisions").click();
        type(browser, "Route", "made-" + kind());
        waitUntil(browser, "both calls listed in Decisions", driver -> {
            button(driver, "Show decisions").click();
            List<WebElement> rows = driver.findElements(By.cssSelector("#decisions-body tr"));
            return rows.size() == 2 && rows.stream().anyMatch(row -> row.getText().contains("15551230001") && row.getText().contains("gold"));
        });
        assertFalse(browser.findElement(By.id("decisions-screen")).getText().contains("null"));
    }

    @Test
    void twoAdminsEditingOneRouteTheSecondSaveIsToldAndReloads() throws Exception {
        WebDriver other = chromium();
        others.add(other);
        other.get(base + "/");
        signIn(other);
        go(browser, "#/routes/shared");
        go(other, "#/routes/shared");
        String target = "Default (a record, no rule holds): number or name";
        field(browser, target);
        type(other, target, "201");
        button(other, "Save route").click();
        waitUntil(other, "the other admin's save", driver -> driver.findElement(By.id("editor-status")).getText().startsWith("Saved"));

        type(browser, target, "202");
        button(browser, "Save route").click();

        WebElement stale = waitFor(browser, By.id("stale"));
        assertTrue(stale.getText().contains("changed by someone else since you opened it"), stale.getText());
        button(browser, "Reload route").click();
        waitUntil(browser, "the other admin's version", driver -> "201".equals(field(driver, target).getAttribute("value")));
        assertEquals("201", call("shared", "15551230003").get("CRMROUTE_DEST"));
    }

    @Test
    void theObjectAndFieldInputsSuggestTheCrmsOwnObjectsAndFields() {
        go(browser, "#/routes/team");
        WebElement object = field(browser, "Object");
        WebElement matchField = field(browser, "Match field");
        assertEquals("crm-objects", object.getAttribute("list"));
        assertEquals("crm-fields", matchField.getAttribute("list"));
        assertEquals("crm-fields", field(browser, "Compared field").getAttribute("list"));
        waitUntil(browser, "the file CRM's objects and the contacts' fields suggested", driver ->
                options(driver, "crm-objects").equals(List.of("contacts")) && options(driver, "crm-fields").equals(List.of("phone", "name", "status")));

        button(browser, "Reload objects and fields from the CRM").click();
        waitUntil(browser, "the suggestions asked anew and filled again", driver ->
                options(driver, "crm-objects").equals(List.of("contacts")) && options(driver, "crm-fields").equals(List.of("phone", "name", "status")));
    }

    private static List<String> options(WebDriver driver, String datalist) {
        return driver.findElements(By.cssSelector("datalist#" + datalist + " option")).stream().map(option -> option.getAttribute("value")).toList();
    }

    @Test
    void anInvalidValueIsShownBesideItsField() throws Exception {
        go(browser, "#/routes/team");
        type(browser, "Budget (timeout)", "soon");
        button(browser, "Save route").click();

        WebElement problem = waitFor(browser, By.cssSelector(".field-problem[data-problem-for='timeout']"));
        WebElement input = problem.findElement(By.xpath("ancestor::*[contains(@class, 'field')][1]")).findElement(By.id("route-timeout"));
        assertEquals("true", input.getAttribute("aria-invalid"));
        assertTrue(input.getAttribute("aria-describedby").contains(problem.getAttribute("id")));
        assertFalse(problem.getText().isBlank());
        assertTrue(browser.findElement(By.id("editor-status")).getText().startsWith("Not saved"));
        assertFalse(api("GET", "/api/routes/team").body().contains("soon"));
    }

    @Test
    void deleteAsksForConfirmationNamingTheRoute() throws Exception {
        waitUntil(browser, "doomed listed", driver -> routeNamesShown().contains("doomed"));
        button(browser, "Delete doomed").click();
        assertEquals("Are you sure you want to remove the route 'doomed'?", waitFor(browser, By.id("confirm-text")).getText());
        button(browser, "Remove").click();
        waitUntil(browser, "doomed gone from the list", driver -> !routeNamesShown().contains("doomed"));
        assertEquals(404, api("GET", "/api/routes/doomed").statusCode());
    }

    @Test
    void aCallIsTriedOnAnUnsavedDraftAndCrmValuesStayText() throws Exception {
        go(browser, "#/routes/vip");
        type(browser, "Rule 1 number or name", "999");
        type(browser, "Caller ID", "15551230001");
        button(browser, "Try a call on this draft").click();
        waitUntil(browser, "the draft's decision", driver -> driver.findElement(By.id("try-result")).getText().contains("queue 999"));
        assertTrue(api("GET", "/api/routes/vip").body().contains("\"103\""), "the draft is not saved");

        type(browser, "Caller ID", "15551230002");
        button(browser, "Try a call on this draft").click();
        waitUntil(browser, "the hostile record shown", driver -> driver.findElement(By.id("try-result")).getText().contains(HOSTILE));
        WebElement result = browser.findElement(By.id("try-result"));
        assertEquals(2, result.findElements(By.xpath(".//td[text()=\"" + HOSTILE + "\"]")).size(), "in the record and in CRM_contacts_name");
        assertEquals(0, result.findElements(By.tagName("img")).size());
        assertFalse(alertOpen(browser));
        assertTrue(result.getText().contains("rule gold: status \"SILVER\" = \"GOLD\" -> does not hold"), result.getText());
        if (kind().equals("local")) {
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("try-title")));
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve("console-try-a-call.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void decisionsShowAHostileCrmValueAsText() throws Exception {
        assertEquals(HOSTILE, call("hostile", "15551230002").get("CRMROUTE_VALUE"));
        go(browser, "#/decisions?route=hostile");
        waitUntil(browser, "the call listed", driver -> {
            driver.navigate().refresh();
            return !waitFor(driver, By.id("decisions-body")).findElements(By.xpath(".//button[normalize-space()='Details']")).isEmpty();
        });
        browser.findElement(By.cssSelector("#decisions-body button")).click();
        WebElement details = waitFor(browser, By.id("decision-details"));
        assertEquals(HOSTILE, details.findElement(By.xpath(".//dt[normalize-space()='Compared value']/following-sibling::dd[1]")).getText());
        assertEquals(0, details.findElements(By.tagName("img")).size());
        assertFalse(alertOpen(browser));
    }

    @Test
    void importRefusesAFileWithAnErrorAndTakesAGoodOne() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, """
                routes:
                  imported: { crm: demo, object: contacts, field: status, default: { to: { queue: "5" } } }
                  broken: { crm: demo, object: contacts, field: status, rules: [ { op: "=~", value: x, to: { queue: "1" } } ], default: { to: { queue: "5" } } }
                """);
        field(browser, "YAML file to import").sendKeys(broken.toAbsolutePath().toString());
        button(browser, "Import routes").click();
        WebElement problems = waitFor(browser, By.id("import-problems"));
        waitUntil(browser, "the problems listed", driver -> problems.getText().contains("routes.broken.rules[0].op"));
        assertTrue(problems.getText().startsWith("Nothing was imported"), problems.getText());
        assertEquals(404, api("GET", "/api/routes/imported").statusCode());

        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "routes:\n  imported: { crm: demo, object: contacts, field: status, default: { to: { queue: \"5\" } } }\n");
        field(browser, "YAML file to import").sendKeys(good.toAbsolutePath().toString());
        button(browser, "Import routes").click();
        waitUntil(browser, "the import done", driver -> driver.findElement(By.id("notice")).getText().equals("Imported 1 route."));
        assertTrue(routeNamesShown().contains("imported"));
    }

    @Test
    void statusShowsEachCrmTheListenerAndCallsPerStatus() throws Exception {
        call("vip", "15551230001");
        link(browser, "Status").click();
        WebElement crms = waitFor(browser, By.xpath("//table[@aria-labelledby='crms-title']"));
        assertTrue(crms.getText().contains("demo"), crms.getText());
        assertTrue(waitFor(browser, By.id("calls-body")).getText().contains("MATCH"));
        assertTrue(browser.findElement(By.id("status-screen")).getText().contains("FastAGI listener"));
        if (kind().equals("postgres")) {
            WebElement nodes = waitFor(browser, By.xpath("//table[@aria-labelledby='nodes-title']"));
            assertTrue(nodes.getText().contains(":0 up dev"), "this node, by host and configured port: " + nodes.getText());
        } else {
            assertTrue(browser.findElements(By.id("nodes-title")).isEmpty(), "no nodes without a database");
        }
    }

    @Test
    void theListAndTheEditorFitAPhoneWidthScreen() {
        browser.manage().window().setSize(new Dimension(390, 844));
        waitUntil(browser, "the routes listed", driver -> routeNamesShown().contains("vip"));
        assertFits();
        go(browser, "#/routes/vip");
        field(browser, "Rule 1 name");
        assertFits();
        if (kind().equals("local")) {
            go(browser, "#/routes");
            waitUntil(browser, "the routes listed", driver -> routeNamesShown().contains("vip"));
        }
    }

    private void assertFits() {
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertTrue(((Number) overflow).longValue() <= 0, "wider than the screen by " + overflow + " px");
    }

    /**
     * A port the kernel just gave out and took back: Selenium's own prober looks only outside the ephemeral
     * range, and finds nothing when a benchmark has widened that range to the whole port space.
     */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
