package dev.purertc.interop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code user.js} of every Firefox ESR profile the tests create: WebRTC on loopback with media
 * permission granted (without it Firefox gathers nothing in a lo-only namespace), page console to
 * stdout, and everything that makes Firefox talk to the outside switched off.
 */
final class FirefoxPrefs {
    static final Map<String, Object> PREFS;

    static {
        Map<String, Object> p = new LinkedHashMap<>();
        // WebRTC on loopback, fake media, permission granted without a prompt.
        p.put("media.peerconnection.ice.loopback", true);
        p.put("media.navigator.permission.disabled", true);
        p.put("media.navigator.streams.fake", true);
        p.put("permissions.default.microphone", 1);
        p.put("permissions.default.camera", 1);
        p.put("devtools.console.stdout.content", true);
        // A background tab is never throttled: the driver page must keep polling.
        p.put("dom.min_background_timeout_value", 0);
        // Firefox's own traffic: updates, studies, telemetry, safe browsing, search/region lookups.
        p.put("app.update.enabled", false);
        p.put("app.update.auto", false);
        p.put("app.normandy.enabled", false);
        p.put("app.normandy.api_url", "");
        p.put("app.shield.optoutstudies.enabled", false);
        p.put("browser.aboutHomeSnippets.updateUrl", "");
        p.put("browser.newtabpage.enabled", false);
        p.put("browser.startup.homepage_override.mstone", "ignore");
        p.put("browser.startup.page", 0);
        p.put("browser.shell.checkDefaultBrowser", false);
        p.put("browser.safebrowsing.malware.enabled", false);
        p.put("browser.safebrowsing.phishing.enabled", false);
        p.put("browser.safebrowsing.blockedURIs.enabled", false);
        p.put("browser.safebrowsing.downloads.enabled", false);
        p.put("browser.safebrowsing.downloads.remote.enabled", false);
        p.put("browser.safebrowsing.provider.google.updateURL", "");
        p.put("browser.safebrowsing.provider.google4.updateURL", "");
        p.put("browser.safebrowsing.provider.mozilla.updateURL", "");
        p.put("browser.search.update", false);
        p.put("browser.search.geoip.url", "");
        p.put("browser.region.network.url", "");
        p.put("browser.region.update.enabled", false);
        p.put("browser.ping-centre.telemetry", false);
        p.put("browser.newtabpage.activity-stream.feeds.telemetry", false);
        p.put("browser.newtabpage.activity-stream.telemetry", false);
        p.put("datareporting.healthreport.uploadEnabled", false);
        p.put("datareporting.policy.dataSubmissionEnabled", false);
        p.put("toolkit.telemetry.enabled", false);
        p.put("toolkit.telemetry.unified", false);
        p.put("toolkit.telemetry.archive.enabled", false);
        p.put("toolkit.telemetry.server", "");
        // Captive portal and connectivity probes, DNS prefetch, DoH.
        p.put("network.captive-portal-service.enabled", false);
        p.put("network.connectivity-service.enabled", false);
        // In a namespace with only lo, the link service may report the network down now and then, and an
        // offline Firefox refuses new RTCPeerConnections ("Can't create RTCPeerConnections when the network
        // is down", seen once in four FirefoxIceRestartTest runs): do not follow the link status.
        p.put("network.manage-offline-status", false);
        p.put("network.dns.disablePrefetch", true);
        p.put("network.prefetch-next", false);
        p.put("network.predictor.enabled", false);
        p.put("network.trr.mode", 5);
        // Remote settings pointed at a closed local port; sync, GMP/Widevine, extensions, push off.
        p.put("services.settings.server", "http://127.0.0.1:9/");
        p.put("services.sync.enabled", false);
        p.put("media.gmp-manager.updateEnabled", false);
        p.put("media.gmp-manager.url", "");
        p.put("media.gmp-gmpopenh264.autoupdate", false);
        p.put("media.gmp-widevinecdm.autoupdate", false);
        p.put("media.gmp-widevinecdm.enabled", false);
        p.put("extensions.update.enabled", false);
        p.put("extensions.getAddons.cache.enabled", false);
        p.put("extensions.blocklist.enabled", false);
        p.put("extensions.systemAddon.update.enabled", false);
        p.put("geo.provider.network.url", "");
        p.put("identity.fxaccounts.enabled", false);
        p.put("messaging-system.rsexperimentloader.enabled", false);
        p.put("dom.push.enabled", false);
        p.put("dom.push.serverURL", "");
        p.put("security.OCSP.enabled", 0);
        p.put("security.remote_settings.crlite_filters.enabled", false);
        p.put("security.remote_settings.intermediates.enabled", false);
        p.put("toolkit.startup.max_resumed_crashes", -1);
        p.put("browser.tabs.crashReporting.sendReport", false);
        p.put("breakpad.reportURL", "");
        PREFS = java.util.Collections.unmodifiableMap(p);
    }

    private FirefoxPrefs() {
    }
}
