check %dir%/versions-overlap
