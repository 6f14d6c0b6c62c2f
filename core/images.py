"""Images from editors: checked with Pillow before anything is stored.

Every image an editor sends (CKEditor uploads, an article's picture, an
affiliate banner) is opened with Pillow and refused, with a clear message,
when it is not a JPEG, PNG, WebP or GIF (SVG, HTML renamed .jpg, a truncated
file), is larger than IMAGE_UPLOAD_MAX_BYTES, or would decode to more than
IMAGE_UPLOAD_MAX_PIXELS (a decompression bomb). An accepted file is not
stored as sent: `clean_image` re-encodes it with Pillow, so only the picture
is kept (no bytes hidden after it, no camera metadata), under the extension
of its real format, so the type it is served with matches its content.
`check_image` is also the validator on the models' image fields, and their
save() stores the same clean copy.
"""

import warnings
from io import BytesIO
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

# Pillow's format name -> the extension the stored file gets. MPO is the
# multi-picture JPEG many phone cameras write.
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED_NAMES = "JPEG, PNG, WebP or GIF"
# Formats whose frames are an animation; an MPO's second picture is not shown
# by browsers and is left out.
ANIMATED_FORMATS = {"GIF", "PNG", "WEBP"}


def _not_an_image():
    return ValidationError(
        f"This file is not an image the site can use. Upload a {ACCEPTED_NAMES} file.",
        code="not_image",
    )


def check_image(file):
    """Return the extension for `file` after Pillow has checked it.

    Raises ValidationError with a message for the editor when the file is too
    big, is not an image, is an image of a kind the site does not take, or
    has more pixels than IMAGE_UPLOAD_MAX_PIXELS. The file is rewound.
    """
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; images may be at most "
            f"{filesizeformat(max_bytes)}. Save it smaller and upload it again.",
            code="too_big",
        )
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning becomes an error like its hard limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = image.format
                width, height = image.size
                if kind not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        f"{kind} images are not accepted; upload a {ACCEPTED_NAMES} file.",
                        code="format",
                    )
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                image.verify()
            # verify() reads the structure only; decoding the (bounded) pixels
            # catches a truncated or corrupt file before anything is stored.
            file.seek(0)
            with Image.open(file) as image:
                # Every frame of an animation is decoded when it is re-encoded.
                frames = getattr(image, "n_frames", 1) if kind in ANIMATED_FORMATS else 1
                if width * height * frames > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels, frames)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            f"The image is far too large when opened ({error}); save it at a normal size "
            "and upload it again.",
            code="bomb",
        ) from error
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_an_image() from error
    finally:
        file.seek(0)
    return ACCEPTED_FORMATS[kind]


def _too_many_pixels(width, height, max_pixels, frames=1):
    limit = f"{max_pixels / 1e6:.0f} million pixels"
    if frames > 1:
        message = (
            f"The animation has {frames} frames of {width} × {height} pixels; at most {limit} "
            "are accepted in all its frames. Make it smaller or shorter and upload it again."
        )
    else:
        message = (
            f"The image is {width} × {height} pixels; at most {limit} are accepted. "
            "Resize it and upload it again."
        )
    return ValidationError(message, code="pixels")


def clean_image(file):
    """A new file holding only the picture in `file`, named after its format.

    `file` is checked first (check_image raises ValidationError). The picture
    is then decoded and encoded again by Pillow in its own format, so nothing
    else the file carried is stored: bytes after the image data (an image
    that is also an HTML page or a script), comments, PNG text chunks, XMP,
    and EXIF, which holds a photo's GPS position. EXIF's orientation is
    applied to the pixels first, so photos stay upright without it. A valid
    ICC colour profile is kept: it is not personal data, and without it a
    wide-gamut photo's colours go flat. JPEGs keep their own quantisation
    tables (the quality they were saved at), WebP stays lossless or lossy,
    and animated GIF, PNG and WebP keep their frames, timing and looping.
    """
    extension = check_image(file)
    try:
        lossless = _is_lossless_webp(file)
        file.seek(0)
        with Image.open(file) as image:
            data = _reencode(image, lossless=lossless)
    except (OSError, ValueError, TypeError) as error:
        raise _not_an_image() from error
    finally:
        file.seek(0)
    name = PurePath(file.name or "image").with_suffix(f".{extension}").name
    return ContentFile(data, name=name)


def _reencode(image, *, lossless):
    kind = image.format
    profile = _colour_profile(image.info.get("icc_profile"))
    loop = image.info.get("loop")
    frames, durations, disposals = [], [], []
    for frame in ImageSequence.Iterator(image) if kind in ANIMATED_FORMATS else [image]:
        upright = ImageOps.exif_transpose(frame)
        # Only what the encoder needs to draw the frame: no text, EXIF or XMP.
        upright.info = {k: frame.info[k] for k in ("transparency", "background") if k in frame.info}
        frames.append(upright)
        durations.append(frame.info.get("duration", 0))
        disposals.append(getattr(frame, "disposal_method", 0))
    options = {}
    if len(frames) > 1:
        options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    if kind in ("JPEG", "MPO"):
        fmt = "JPEG"
        options |= {
            "qtables": image.quantization,
            "subsampling": JpegImagePlugin.get_sampling(image),
            "progressive": bool(image.info.get("progressive")),
            "optimize": True,
            "icc_profile": profile,
        }
    elif kind == "PNG":
        # Pillow hands out APNG frames already composed, so each replaces the last.
        fmt = "PNG"
        options |= {"optimize": True, "icc_profile": profile}
        if len(frames) > 1:
            options |= {"loop": loop or 0, "disposal": 0, "blend": 0}
    elif kind == "WEBP":
        fmt = "WEBP"
        options |= {"lossless": lossless, "quality": 80 if lossless else 90, "method": 4}
        options |= {"icc_profile": profile, "exif": b"", "xmp": b"", "loop": loop or 0}
    else:
        # Pillow hands out GIF frames composed too, but a GIF frame is drawn
        # over what is left of the last. Where the original clears a frame
        # (disposal 2 or 3), pixels may turn transparent again: clearing
        # every frame lets each composed frame be drawn on an empty canvas.
        fmt = "GIF"
        if len(frames) > 1:
            disposal = 2 if max(disposals) >= 2 else 1
            options |= {"disposal": disposal, "loop": loop}  # loop None: plays once
    out = BytesIO()
    frames[0].save(out, fmt, **options)
    return out.getvalue()


def _colour_profile(data):
    """`data` if it is an ICC profile littlecms can read, else None."""
    if not data:
        return None
    try:
        ImageCms.ImageCmsProfile(BytesIO(data))
    except (OSError, TypeError, ValueError, ImageCms.PyCMSError):
        return None
    return data


def _is_lossless_webp(file):
    """Whether `file` is a WebP whose (first) picture is VP8L, the lossless kind."""
    file.seek(0)
    if file.read(12)[8:] != b"WEBP":
        return False
    while len(header := file.read(8)) == 8:
        fourcc, size = header[:4], int.from_bytes(header[4:], "little")
        if fourcc == b"ANMF":
            file.read(16)  # the frame's position and timing; its picture's chunks follow
        elif fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        else:
            file.seek(size + size % 2, 1)
    return False


def validate_image_file(file):
    """Model-field validator: the same checks as CKEditor uploads."""
    if file and not getattr(file, "_committed", True):
        check_image(file)


class ImageUploadField(forms.FileField):
    """The admin's image fields (an article's picture, a banner): the same
    checks and the same messages as CKEditor uploads, in place of Django's
    one message for every kind of refusal."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def to_python(self, data):
        file = super().to_python(data)
        if file is not None:
            check_image(file)
        return file


def clean_new_image(field_file):
    """Put clean_image's copy in place of a newly assigned image, so a model
    stores only the picture, under the extension of what it is (a PNG sent
    as photo.gif is stored as photo.png), as CKEditor uploads are.

    Called by the models' save(), which every way into an image field passes
    (the admin, loaders, code). Raises ValidationError for a file that is
    not an accepted image; where editors upload, validate_image_file has
    already refused it with the same message.
    """
    if not field_file or getattr(field_file, "_committed", True):
        return
    # Through the field's descriptor, so width and height fields are measured
    # again on the copy (an EXIF-rotated photo swaps them).
    setattr(field_file.instance, field_file.field.attname, clean_image(field_file))
