use crate::Span;

/// A value with the span of the text it was read from (cedar-policy's `Node<T>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }

    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned { value: &self.value, span: self.span }
    }

    pub fn map<U>(self, map: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned { value: map(self.value), span: self.span }
    }
}
