// The bodies of the pages behind signed links and forms. Every value is escaped by Handlebars; the forms post
// back to the page's own URL, whose signed token authorises the action.

const commentBox = `<label for="comment">Anything to add? (optional)</label>
<textarea id="comment" name="comment" rows="3" maxlength="2000"></textarea>`;

export const PAGE_TEMPLATES = {
  /** A sentence, an optional detail, an optional link onwards. */
  message: `<p>{{message}}</p>
{{#if detail}}<p class="muted">{{detail}}</p>{{/if}}
{{#if link}}<p><a href="{{link}}">{{linkText}}</a></p>{{/if}}`,

  /** A question and one button that posts the decision: following the link decides nothing by itself. */
  confirm: `<p>{{question}}</p>
{{#if detail}}<p class="muted">{{detail}}</p>{{/if}}
<form method="post" action="{{action}}"><button type="submit">{{button}}</button></form>`,

  preferences: `<p>Choose the emails {{email}} gets from us.</p>
<form method="post" action="{{action}}">
{{#each categories}}<label><input type="checkbox" name="categories" value="{{value}}"{{#if checked}} checked{{/if}}{{#if locked}} disabled{{/if}}> {{label}}{{#if locked}} <span class="muted">(always sent: replies to things you asked for)</span>{{/if}}</label>
{{/each}}<p><button type="submit">Save</button></p>
</form>`,

  /** The score from the link is pre-selected; nothing is recorded until the button is pressed. */
  survey: `<p>{{question}}</p>
<form method="post" action="{{action}}">
<div class="scores">{{#each scores}}<label><input type="radio" name="score" value="{{value}}"{{#if selected}} checked{{/if}}> {{value}}</label>{{/each}}</div>
<p class="muted">0: not at all likely · 10: extremely likely</p>
${commentBox}
<p><button type="submit">Send</button></p>
</form>`,

  surveyThanks: `<p>Thank you: we recorded {{score}} out of 10.</p>
{{#unless comment}}<form method="post" action="{{action}}">
<input type="hidden" name="score" value="{{score}}">
${commentBox}
<p><button type="submit">Send comment</button></p>
</form>{{/unless}}`,
} as const;

export type PageName = keyof typeof PAGE_TEMPLATES;
