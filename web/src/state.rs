//! The playground's one piece of state and the actions that change it (a `use_reducer`, as in
//! yew's `function_todomvc`).

use crate::examples::{example_policy, example_request, EXOSCALE_ORGANIZATION_POLICY};
use crate::share::SharedDocument;
use iamlab_model::{Provider, Span};
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use yew::prelude::*;

/// The three provider tabs. The Outscale tab serves two engine profiles (Outscale EIM and the
/// full AWS IAM language), chosen with [`State::aws_profile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    Exoscale,
    Scaleway,
    Outscale,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Exoscale, Tab::Scaleway, Tab::Outscale];

    pub fn key(self) -> &'static str {
        match self {
            Tab::Exoscale => "exoscale",
            Tab::Scaleway => "scaleway",
            Tab::Outscale => "outscale",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Tab::Exoscale => "Exoscale",
            Tab::Scaleway => "Scaleway",
            Tab::Outscale => "Outscale",
        }
    }

    pub fn for_provider(provider: Provider) -> Tab {
        match provider {
            Provider::Exoscale => Tab::Exoscale,
            Provider::Scaleway => Tab::Scaleway,
            Provider::Outscale | Provider::Aws => Tab::Outscale,
        }
    }
}

/// What one tab edits: a policy and a request to simulate against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Documents {
    pub policy: AttrValue,
    pub request: AttrValue,
}

impl Documents {
    pub fn example(tab: Tab) -> Documents {
        Documents { policy: AttrValue::Static(example_policy(tab)), request: AttrValue::Static(example_request(tab)) }
    }
}

/// The editors of a tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Policy,
    Request,
    /// Exoscale only: the organization policy.
    OrganizationPolicy,
}

/// A request to select a span in an editor; `serial` makes two clicks on the same diagnostic
/// two requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reveal {
    pub pane: Pane,
    pub span: Span,
    pub serial: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message above the editors. When an action replaced a tab's text (a share link, a reset),
/// `restore` keeps the previous text so that no work is lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub message: String,
    pub restore: Option<(Tab, Documents)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub tab: Tab,
    /// The Outscale tab simulates with the AWS IAM profile instead of the Outscale EIM one.
    pub aws_profile: bool,
    /// The Scaleway principal is the Organization Owner.
    pub scaleway_owner: bool,
    /// Exoscale: simulate with [`State::organization_policy`] (otherwise the engine's default,
    /// allow everything).
    pub organization_policy_enabled: bool,
    pub organization_policy: AttrValue,
    pub exoscale: Documents,
    pub scaleway: Documents,
    pub outscale: Documents,
    pub reveal: Option<Reveal>,
    pub notice: Option<Notice>,
    pub share_link: Option<AttrValue>,
}

impl Default for State {
    fn default() -> State {
        State {
            tab: Tab::Exoscale,
            aws_profile: false,
            scaleway_owner: false,
            organization_policy_enabled: false,
            organization_policy: AttrValue::Static(EXOSCALE_ORGANIZATION_POLICY),
            exoscale: Documents::example(Tab::Exoscale),
            scaleway: Documents::example(Tab::Scaleway),
            outscale: Documents::example(Tab::Outscale),
            reveal: None,
            notice: None,
            share_link: None,
        }
    }
}

impl State {
    /// The engine profile the active tab validates and simulates with.
    pub fn provider(&self) -> Provider {
        match self.tab {
            Tab::Exoscale => Provider::Exoscale,
            Tab::Scaleway => Provider::Scaleway,
            Tab::Outscale if self.aws_profile => Provider::Aws,
            Tab::Outscale => Provider::Outscale,
        }
    }

    pub fn documents(&self, tab: Tab) -> &Documents {
        match tab {
            Tab::Exoscale => &self.exoscale,
            Tab::Scaleway => &self.scaleway,
            Tab::Outscale => &self.outscale,
        }
    }

    fn documents_mut(&mut self, tab: Tab) -> &mut Documents {
        match tab {
            Tab::Exoscale => &mut self.exoscale,
            Tab::Scaleway => &mut self.scaleway,
            Tab::Outscale => &mut self.outscale,
        }
    }

    pub fn active(&self) -> &Documents {
        self.documents(self.tab)
    }

    /// Replaces a tab's documents, keeping the previous ones in a notice when they differ.
    fn replace_documents(&mut self, tab: Tab, documents: Documents, message: String) {
        let previous = std::mem::replace(self.documents_mut(tab), documents);
        let restore = (previous != *self.documents(tab)).then_some((tab, previous));
        self.tab = tab;
        self.reveal = None;
        self.notice = Some(Notice { kind: NoticeKind::Info, message, restore });
    }
}

pub enum Action {
    SelectTab(Tab),
    SetAwsProfile(bool),
    SetScalewayOwner(bool),
    SetOrganizationPolicyEnabled(bool),
    EditOrganizationPolicy(AttrValue),
    EditPolicy(AttrValue),
    EditRequest(AttrValue),
    /// Replaces the active tab's request with a template for the named operation (the previous
    /// request stays restorable).
    FillRequest {
        operation: String,
        request: AttrValue,
    },
    /// Puts the active tab's examples back (the previous text stays restorable).
    ResetExamples,
    Reveal(Pane, Span),
    /// A share link was opened: its document, or why it could not be read.
    ImportShared(Result<SharedDocument, String>),
    /// Puts back the text a share link or a reset replaced.
    Restore,
    DismissNotice,
    ShowShareLink(AttrValue),
    ShowError(String),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            Action::SelectTab(tab) => {
                state.tab = tab;
                state.reveal = None;
                state.share_link = None;
            }
            Action::SetAwsProfile(aws) => state.aws_profile = aws,
            Action::SetScalewayOwner(owner) => state.scaleway_owner = owner,
            Action::SetOrganizationPolicyEnabled(enabled) => {
                state.organization_policy_enabled = enabled;
                state.share_link = None;
            }
            Action::EditOrganizationPolicy(text) => {
                state.organization_policy = text;
                state.share_link = None;
            }
            Action::EditPolicy(text) => {
                state.documents_mut(state.tab).policy = text;
                state.share_link = None;
            }
            Action::EditRequest(text) => {
                state.documents_mut(state.tab).request = text;
                state.share_link = None;
            }
            Action::FillRequest { operation, request } => {
                let tab = state.tab;
                let policy = state.documents(tab).policy.clone();
                let message = format!("the request now holds a template for `{operation}`: fill in its values");
                state.replace_documents(tab, Documents { policy, request }, message);
            }
            Action::ResetExamples => {
                let tab = state.tab;
                let message = format!("the {} example is back", tab.display_name());
                state.replace_documents(tab, Documents::example(tab), message);
            }
            Action::Reveal(pane, span) => {
                let serial = state.reveal.map_or(0, |reveal| reveal.serial.wrapping_add(1));
                state.reveal = Some(Reveal { pane, span, serial });
            }
            Action::ImportShared(Ok(shared)) => {
                let tab = Tab::for_provider(shared.provider);
                if tab == Tab::Outscale {
                    state.aws_profile = shared.provider == Provider::Aws;
                }
                let request = match shared.request {
                    Some(request) => AttrValue::from(request),
                    None => state.documents(tab).request.clone(),
                };
                if let Some(organization_policy) = shared.organization_policy {
                    state.organization_policy = AttrValue::from(organization_policy);
                    state.organization_policy_enabled = true;
                }
                let documents = Documents { policy: AttrValue::from(shared.policy), request };
                let message = format!("loaded the shared {} policy", shared.provider.display_name());
                state.replace_documents(tab, documents, message);
            }
            Action::ImportShared(Err(message)) => {
                state.notice = Some(Notice { kind: NoticeKind::Error, message, restore: None });
            }
            Action::Restore => {
                if let Some(Notice { restore: Some((tab, documents)), .. }) = state.notice.take() {
                    *state.documents_mut(tab) = documents;
                    state.tab = tab;
                    state.reveal = None;
                }
            }
            Action::DismissNotice => state.notice = None,
            Action::ShowShareLink(link) => state.share_link = Some(link),
            Action::ShowError(message) => {
                state.notice = Some(Notice { kind: NoticeKind::Error, message, restore: None });
            }
        }
        Rc::new(state)
    }
}
