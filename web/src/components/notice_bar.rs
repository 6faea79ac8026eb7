use crate::state::{Notice, NoticeKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeBarProps {
    pub notice: Notice,
    pub onrestore: Callback<()>,
    pub ondismiss: Callback<()>,
}

/// A message about the page itself (a share link, storage), with a way back when it replaced
/// some text.
#[component]
pub fn NoticeBar(props: &NoticeBarProps) -> Html {
    let kind = match props.notice.kind {
        NoticeKind::Info => "notice-info",
        NoticeKind::Error => "notice-error",
    };
    let onrestore = props.onrestore.reform(|_: MouseEvent| ());
    let ondismiss = props.ondismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!("notice", kind)} role={if props.notice.kind == NoticeKind::Error { "alert" } else { "status" }}>
            <span class="notice-message">{ &props.notice.message }</span>
            if let Some(workspace) = &props.notice.restore {
                <button type="button" class="notice-restore" onclick={onrestore}>
                    { format!("Restore my previous {} text", workspace.tab.display_name()) }
                </button>
            }
            <button type="button" class="notice-dismiss" aria-label="Dismiss" onclick={ondismiss}>{ "×" }</button>
        </div>
    }
}
