package io.crmroute.crm;


/**
 * Pieces of the URLs of records' pages in a CRM's web UI. Ids and object names come from the CRM
 * or the route, so each is percent-encoded where it goes: a hostile id cannot leave its path
 * segment or query parameter, nor point the agent's browser elsewhere.
 */
final class RecordPages {

    private RecordPages() {}

    /**
     * A web UI root ({@code ui-url}): an absolute http(s) URL without query or fragment. crmroute
     * never sends it anything (it only reaches an agent's browser), so http:// is not refused.
     */
    static CrmKey.Parser<String> uiUrl() {
        return (text, context) -> {
            try {
                java.net.URI uri = new java.net.URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
                        && uri.getRawFragment() == null) {
                    return CrmCall.withoutTrailingSlash(text);
                }
            } catch (java.net.URISyntaxException notAUri) {
                // reported below
            }
            throw new IllegalArgumentException("expected an absolute https:// URL without query or fragment");
        };
    }
}
