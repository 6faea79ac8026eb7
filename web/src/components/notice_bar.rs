use crate::state::{Notice, NoticeKind};
use yew::prelude::*;

/// A message about the page itself (a share link, storage), with a way back when it replaced
/// some text. A plain function rather than a component (see `theme_toggle`).
pub fn notice_bar(notice: &Notice, onrestore: &Callback<()>, ondismiss: &Callback<()>) -> Html {
    let kind = match notice.kind {
        NoticeKind::Info => "notice-info",
        NoticeKind::Error => "notice-error",
    };
    let onrestore = onrestore.reform(|_: MouseEvent| ());
    let ondismiss = ondismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!("notice", kind)} role={if notice.kind == NoticeKind::Error { "alert" } else { "status" }}>
            <span class="notice-message">{ &notice.message }</span>
            if let Some(workspace) = &notice.restore {
                <button type="button" class="notice-restore" onclick={onrestore}>
                    { format!("Restore my previous {} text", workspace.tab.display_name()) }
                </button>
            }
            <button type="button" class="notice-dismiss" aria-label="Dismiss" onclick={ondismiss}>{ "×" }</button>
        </div>
    }
}
