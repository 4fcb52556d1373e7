// Type declarations of Consentry's browser interface (CONTRACT.md §6 and §7): the
// window.Consentry object that consentry.js defines, the preferences it reports, and the
// consentry:* events it dispatches on window. `make dist` copies this file to
// dist/consentry.d.ts; the npm package names it in "types". Load consentry.js with a
// <script> tag, then reference these types, for example with
//   /// <reference types="consentry" />
// or `import type {} from "consentry";` in a module.

export {};

declare global {
  /** How a choice was made (the consent cookie's "method", CONTRACT.md §4). */
  type ConsentryMethod = "accept-all" | "reject-all" | "custom" | "gpc";

  /** A view of the widget named by consentry:show and consentry:hide. */
  type ConsentryView = "banner" | "preferences";

  /** The visitor's choice, as Consentry.getUserPreferences() returns it (§6). */
  interface ConsentryPreferences {
    method: ConsentryMethod;
    /** Every accepted category, required ones included, in policy order. */
    acceptedCategories: string[];
    rejectedCategories: string[];
    /** For each category with services, the ids of its accepted services. */
    acceptedServices: { [categoryId: string]: string[] };
    /** The policy revision the visitor answered. */
    revision: number;
    /** A random UUID (v4), kept across updates of the choice. */
    id: string;
    /** UTC, RFC 3339. */
    created: string;
    /** UTC, RFC 3339. */
    updated: string;
  }

  /** The detail of consentry:change. */
  interface ConsentryChangeDetail {
    preferences: ConsentryPreferences;
    changedCategories: string[];
  }

  /** The detail of consentry:show and consentry:hide. */
  interface ConsentryViewDetail {
    view: ConsentryView;
  }

  /** The detail of consentry:ready (1.1; null in 1.0). */
  interface ConsentryReadyDetail {
    /** The build id, as Consentry.version. */
    version: string;
  }

  /** The detail of consentry:error. */
  interface ConsentryErrorDetail {
    message: string;
  }

  /**
   * window.Consentry, defined as soon as consentry.js runs. Calls made before the widget
   * is ready are queued and replayed in order; queries made before then answer as if
   * there were no choice. No member throws: wrong arguments get a console warning.
   */
  interface Consentry {
    /** Resolved when the widget is ready, rejected if it cannot start. */
    readonly ready: Promise<void>;
    /**
     * The build id of this widget (1.1): its version and a hash of its code, as printed
     * by `consentry dist` and listed with `dist/SHA256SUMS`; proof of what was shown.
     */
    readonly version: string;
    /** Show the banner. */
    show(): void;
    /** Hide the banner. */
    hide(): void;
    /** Open the preferences dialog. */
    showPreferences(): void;
    /** Close the preferences dialog. */
    hidePreferences(): void;
    /** Record "accept all", as the button does. */
    acceptAll(): void;
    /** Record "reject all", as the button does. */
    rejectAll(): void;
    /** Record exactly these optional categories as accepted. */
    acceptCategory(ids: string | readonly string[]): void;
    /** true when that category is accepted now. */
    acceptedCategory(id: string): boolean;
    /** true when that service of that category is accepted now. */
    acceptedService(serviceId: string, categoryId: string): boolean;
    /** true when a valid choice exists for the current revision. */
    validConsent(): boolean;
    /** The choice in force, or null when there is none. */
    getUserPreferences(): ConsentryPreferences | null;
    /** Render again in that language (negotiated against the policy's). */
    setLanguage(lang: string): void;
    /** Forget the choice (delete the cookie) and show the banner again. */
    reset(): void;
  }

  interface Window {
    Consentry: Consentry;
  }

  /** The events of CONTRACT.md §7, dispatched on window. */
  interface WindowEventMap {
    "consentry:ready": CustomEvent<ConsentryReadyDetail>;
    "consentry:consent": CustomEvent<ConsentryPreferences>;
    "consentry:change": CustomEvent<ConsentryChangeDetail>;
    "consentry:show": CustomEvent<ConsentryViewDetail>;
    "consentry:hide": CustomEvent<ConsentryViewDetail>;
    "consentry:error": CustomEvent<ConsentryErrorDetail>;
  }

  // eslint-disable-next-line no-var
  var Consentry: Consentry;
}
